/**
 * The places a patrol names (村、社区), matched against the gazetteer the router uses: each is
 * stored with the area and the gazetteer name it resolved to. A name that several units share is
 * read in the patrol's own area first (a bureau patrols its own villages); otherwise the router's
 * rules decide, and a name they cannot place is kept with `area: null`.
 */
import type { Jurisdiction, PlaceName } from './jurisdiction.js';
import type { AreaId } from './model.js';
import type { PatrolPlace } from './patrol.js';
import { nameAutomatonFor, normalizePlaceText, routeTip } from './routing.js';

/** Villages and communities before former towns before towns and areas: the most specific wins. */
const specificity = (place: PlaceName): number =>
  place.kind === 'village' || place.kind === 'community' ? 0 : place.kind === 'former_town' ? 1 : 2;

const formalNames = new WeakMap<Jurisdiction, Map<string, string>>();

/**
 * The gazetteer's own name of a place: `珍北村` for a match on `珍北` or `珍北村委会` (the formal name
 * of the same statistical unit that ends in 村 or 社区, else the shortest formal one).
 */
function formalName(place: PlaceName, jurisdiction: Jurisdiction): string {
  let names = formalNames.get(jurisdiction);
  if (!names) {
    names = new Map();
    const rank = (candidate: string) => (/(村|社区)$/.test(candidate) ? 0 : 1);
    for (const each of jurisdiction.places) {
      if (!each.formal || !each.source.startsWith('gazetteer')) continue;
      const known = names.get(each.source);
      if (
        known === undefined ||
        rank(each.name) < rank(known) ||
        (rank(each.name) === rank(known) && each.name.length < known.length)
      )
        names.set(each.source, each.name);
    }
    formalNames.set(jurisdiction, names);
  }
  return names.get(place.source) ?? place.name;
}

export function resolvePatrolPlace(name: string, area: AreaId, jurisdiction: Jurisdiction): PatrolPlace {
  const matches = nameAutomatonFor(jurisdiction).findLongest(normalizePlaceText(name));
  const places = matches
    .flatMap((match) => match.values.flatMap((entry) => (entry.type === 'place' ? [entry.place] : [])))
    .sort((a, b) => specificity(a) - specificity(b) || Number(b.formal) - Number(a.formal));
  const resolved = (place: PlaceName | undefined, to: AreaId | null): PatrolPlace => ({
    name,
    area: to,
    matched: place ? formalName(place, jurisdiction) : null,
    ...(place ? { kind: place.kind } : {}),
  });
  const inOwnArea = places.find((place) => place.area === area);
  if (inOwnArea) return resolved(inOwnArea, area);
  const decision = routeTip({ location: { address: name }, text: '' }, jurisdiction);
  if (decision.area) {
    return resolved(
      places.find((place) => place.area === decision.area),
      decision.area,
    );
  }
  return resolved(undefined, null);
}
