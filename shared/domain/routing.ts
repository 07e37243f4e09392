/**
 * Which sub-bureau a tip belongs to, from the place names in its location fields and text.
 *
 * Evidence, strongest first: explicit fields (town, region, street, then community) > the address
 * text > the description; within each, a town/area name > a former town > a village/community.
 * The strongest level present decides; mentions there that disagree send the tip to triage, weaker
 * ones only raise or lower the confidence. A village inside the deciding unit refines it (虞山街道
 * holds both 虞山 and 度假区 villages). Places outside 常熟市 are triaged, never routed to the
 * nearest area.
 */
import type { Jurisdiction, OutsidePlace, PlaceName } from './jurisdiction.js';
import type { AreaId, DistrictId, RoutingDecision, TipLocation } from './model.js';
import { NameAutomaton } from './name-automaton.js';

export type RoutingMethod =
  | 'town_field'
  | 'street_field'
  | 'community_field'
  | 'address_town'
  | 'former_town'
  | 'village'
  | 'none'
  | 'outside_city'
  | 'conflict';

export interface TipRouting extends RoutingDecision {
  method: RoutingMethod;
  matchedNames: string[];
}

type Candidate = AreaId | 'unknown' | 'outside';
type Origin = 'town' | 'region' | 'street' | 'community' | 'address' | 'text';
export type NameEntry = { type: 'place'; place: PlaceName } | { type: 'outside'; place: OutsidePlace };

interface Mention {
  name: string;
  origin: Origin;
  /** 0 town/area/outside, 1 former town, 2 village/community. */
  rank: number;
  /** Lower is stronger: tier of the origin × 3 + rank. */
  level: number;
  /** The entries at this mention's rank; they decide its candidates. */
  entries: NameEntry[];
  /** Every entry of the name, all ranks; used for containment. */
  allEntries: NameEntry[];
  candidates: Set<Candidate>;
  /** An outside place named as a landmark ("与昆山交界"): neither supports nor contradicts. */
  landmark: boolean;
}

const ORIGIN_TIER: Record<Origin, number> = {
  town: 0,
  region: 0,
  street: 0,
  community: 0,
  address: 1,
  text: 2,
};
const ORIGIN_LABEL: Record<Origin, string> = {
  town: 'town field',
  region: 'region field',
  street: 'street field',
  community: 'community field',
  address: 'address',
  text: 'description',
};
const BASE_CONFIDENCE = [
  [0.95, 0.85, 0.8],
  [0.85, 0.75, 0.65],
  [0.75, 0.65, 0.55],
] as const;

/** Preceded or followed by these, an outside place is a landmark ("与昆山交界"), not the location. */
const RELATIONAL_BEFORE = /(与|和|跟|靠近|临近|毗邻|邻近|接壤|往|去|到|通往|至|近)$/;
const RELATIONAL_AFTER = /^(交界|接壤|边界|方向|那边|一带交界)/;
const HEAD_CITY = /^[\u4e00-\u9fff]{2,3}[市省]/;

/** Full-width to half-width (NFKC), whitespace removed: the form names and text are compared in. */
export function normalizePlaceText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

const rankOf = (entry: NameEntry): number => {
  if (entry.type === 'outside') return 0;
  switch (entry.place.kind) {
    case 'area':
    case 'town':
    case 'street':
      return 0;
    case 'former_town':
      return 1;
    default:
      return 2;
  }
};

const candidateOf = (entry: NameEntry): Candidate =>
  entry.type === 'outside' ? 'outside' : (entry.place.area ?? 'unknown');

const automata = new WeakMap<Jurisdiction, NameAutomaton<NameEntry>>();

/** The jurisdiction's automaton, built on first use and kept as long as the jurisdiction lives. */
export function nameAutomatonFor(jurisdiction: Jurisdiction): NameAutomaton<NameEntry> {
  let automaton = automata.get(jurisdiction);
  if (!automaton) {
    const entries: [string, NameEntry][] = [
      ...jurisdiction.places.map((place): [string, NameEntry] => [
        normalizePlaceText(place.name),
        { type: 'place', place },
      ]),
      ...jurisdiction.outside.map((place): [string, NameEntry] => [
        normalizePlaceText(place.name),
        { type: 'outside', place },
      ]),
    ];
    automaton = new NameAutomaton(entries);
    automata.set(jurisdiction, automaton);
  }
  return automaton;
}

function stripPrefixes(text: string, prefixes: readonly string[]): string {
  let rest = text;
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const prefix of prefixes) {
      if (rest.startsWith(prefix) && rest.length > prefix.length) {
        rest = rest.slice(prefix.length);
        stripped = true;
      }
    }
  }
  return rest;
}

function mentionsIn(
  raw: string | undefined,
  origin: Origin,
  jurisdiction: Jurisdiction,
  automaton: NameAutomaton<NameEntry>,
): Mention[] {
  if (!raw) return [];
  const text = normalizePlaceText(raw);
  const tier = ORIGIN_TIER[origin];
  const mentions: Mention[] = [];
  const matches = automaton.findLongest(text);
  for (const match of matches) {
    const allEntries = [...match.values];
    let rank = Math.min(...allEntries.map(rankOf));
    const landmark =
      allEntries.some((entry) => entry.type === 'outside') &&
      (RELATIONAL_BEFORE.test(text.slice(Math.max(0, match.start - 2), match.start)) ||
        RELATIONAL_AFTER.test(text.slice(match.end)));
    if (landmark) rank = 2;
    const entries = allEntries.filter((entry) => rankOf(entry) === rank || entry.type === 'outside');
    mentions.push({
      name: match.name,
      origin,
      rank,
      level: tier * 3 + rank,
      entries,
      allEntries,
      candidates: new Set(entries.map(candidateOf)),
      landmark,
    });
  }
  // An address that opens with another city or province ("宿迁市…", "浙江省…") is outside, whatever follows.
  if (origin !== 'text') {
    const rest = stripPrefixes(text, jurisdiction.prefixes);
    const head = HEAD_CITY.exec(rest)?.[0];
    const offset = text.length - rest.length;
    const covered = matches.some((match) => match.start < offset + (head?.length ?? 0) && match.end > offset);
    if (head && !covered && !jurisdiction.prefixes.includes(head)) {
      const place: OutsidePlace = { name: head, note: 'another city or province at the head of the address' };
      const entry: NameEntry = { type: 'outside', place };
      mentions.push({
        name: head,
        origin,
        rank: 0,
        level: tier * 3,
        entries: [entry],
        allEntries: [entry],
        candidates: new Set(['outside']),
        landmark: false,
      });
    }
  }
  return mentions;
}

const unitsDenoted = (mention: Mention): Set<string> =>
  new Set(
    mention.allEntries.flatMap((entry) =>
      entry.type === 'place' &&
      (entry.place.kind === 'town' || entry.place.kind === 'street') &&
      entry.place.unit
        ? [entry.place.unit]
        : [],
    ),
  );

/** The entries of `inner` that lie inside one of `units` (a village of 虞山街道, say). */
const entriesInside = (inner: Mention, units: Set<string>): PlaceName[] =>
  inner.allEntries.flatMap((entry) =>
    entry.type === 'place' &&
    entry.place.kind !== 'town' &&
    entry.place.kind !== 'street' &&
    entry.place.unit !== null &&
    units.has(entry.place.unit)
      ? [entry.place]
      : [],
  );

const refines = (inner: Mention, outer: Mention): boolean =>
  inner !== outer && entriesInside(inner, unitsDenoted(outer)).length > 0;

const intersect = (sets: Set<Candidate>[]): Set<Candidate> => {
  const [first, ...rest] = sets;
  if (!first) return new Set();
  return new Set([...first].filter((candidate) => rest.every((set) => set.has(candidate))));
};

const methodOf = (mention: Mention): RoutingMethod => {
  switch (mention.origin) {
    case 'town':
    case 'region':
      return 'town_field';
    case 'street':
      return 'street_field';
    case 'community':
      return 'community_field';
    default:
      return mention.rank === 0 ? 'address_town' : mention.rank === 1 ? 'former_town' : 'village';
  }
};

const confidencePenalty = (place: PlaceName | undefined): number => {
  if (!place) return 0;
  const byMark = place.confidence === 'low' ? 0.15 : place.confidence === 'medium' ? 0.05 : 0;
  return byMark + (place.formal ? 0 : 0.1);
};

const round = (value: number) => Math.round(Math.min(0.99, Math.max(0, value)) * 100) / 100;

export function routeTip(
  input: { location: TipLocation; text: string },
  jurisdiction: Jurisdiction,
): TipRouting {
  const automaton = nameAutomatonFor(jurisdiction);
  const { location } = input;
  const mentions = [
    ...mentionsIn(location.town, 'town', jurisdiction, automaton),
    ...mentionsIn(location.region, 'region', jurisdiction, automaton),
    ...mentionsIn(location.street, 'street', jurisdiction, automaton),
    ...mentionsIn(location.community, 'community', jurisdiction, automaton),
    ...mentionsIn(location.address, 'address', jurisdiction, automaton),
    ...mentionsIn(input.text, 'text', jurisdiction, automaton),
  ];
  const matchedNames = [...new Set(mentions.map((mention) => mention.name))];
  const areaLabel = (candidate: Candidate): string => {
    if (candidate === 'outside') return 'outside 常熟市';
    if (candidate === 'unknown') return 'a unit with no patrol area';
    const area = jurisdiction.areas.find((a) => a.id === candidate);
    return area ? `${area.name} (${area.id})` : candidate;
  };
  const districtName = (id: DistrictId | null) => jurisdiction.districts.find((d) => d.id === id)?.name;
  const triage = (
    method: RoutingMethod,
    matched: string | null,
    confidence: number,
    explanation: string,
    district: DistrictId | null = null,
  ): TipRouting => ({ area: null, district, method, matched, matchedNames, confidence, explanation });

  if (mentions.length === 0) {
    const coordinates = location.point ? '; coordinates are not used without configured area boundaries' : '';
    return triage(
      'none',
      null,
      0,
      `Sent to triage: no place name of 常熟市 was found in the tip${coordinates}.`,
    );
  }

  const strongest = Math.min(...mentions.map((mention) => mention.level));
  const atStrongest = mentions.filter((mention) => mention.level === strongest);
  // The more specific of two nested names at one level speaks for both (虞山街道 + 度假区).
  const decisive = atStrongest.filter((outer) => !atStrongest.some((inner) => refines(inner, outer)));
  const weaker = mentions.filter((mention) => mention.level > strongest);
  const describe = (mention: Mention) => `"${mention.name}" (${ORIGIN_LABEL[mention.origin]})`;

  let candidates = intersect(decisive.map((mention) => mention.candidates));
  if (candidates.size === 0) {
    const outside = decisive.find((mention) => mention.candidates.has('outside'));
    const parts = decisive.map(
      (mention) => `${describe(mention)} → ${[...mention.candidates].map(areaLabel).join('/')}`,
    );
    return triage(
      'conflict',
      outside?.name ?? null,
      0,
      `Sent to triage: equally strong place names disagree: ${parts.join('; ')}.`,
    );
  }
  if (candidates.size > 1) {
    for (const mention of weaker) {
      const narrowed = intersect([candidates, mention.candidates]);
      if (narrowed.size > 0) candidates = narrowed;
      if (candidates.size === 1) break;
    }
  }
  const decider = decisive[0]!;
  if (candidates.size > 1) {
    const districts = new Set(
      decisive.flatMap((mention) =>
        mention.entries.map((entry) => (entry.type === 'place' ? entry.place.district : null)),
      ),
    );
    const shared = districts.size === 1 ? ([...districts][0] ?? null) : null;
    return triage(
      'conflict',
      decider.name,
      0,
      `Sent to triage: ${describe(decider)} can mean ${[...candidates].map(areaLabel).join(' or ')} and nothing else in the tip decides between them.`,
      shared,
    );
  }

  let chosen = [...candidates][0]!;
  if (chosen === 'outside') {
    return triage(
      'outside_city',
      decider.name,
      round(0.95 - 0.1 * ORIGIN_TIER[decider.origin]),
      `Sent to triage: ${describe(decider)} lies outside 常熟市, and the router never guesses the nearest area.`,
    );
  }

  // A name inside the deciding unit is more specific: 山前社区 in 虞山街道 is the resort's.
  let deciding = decider;
  let refinedPlaces: PlaceName[] = [];
  const units = new Set(decisive.flatMap((mention) => [...unitsDenoted(mention)]));
  if (units.size > 0) {
    const inside = weaker
      .map((mention) => ({ mention, places: entriesInside(mention, units) }))
      .filter((item) => item.places.length > 0);
    const refinedTo = new Set<Candidate>(
      inside.flatMap((item) => item.places.map((place) => place.area ?? 'unknown')),
    );
    const only = [...refinedTo][0];
    if (refinedTo.size === 1 && only !== undefined && only !== chosen) {
      chosen = only;
      deciding = inside[0]!.mention;
      refinedPlaces = inside[0]!.places;
    }
  }

  const supporting = mentions.filter((mention) => mention !== deciding && !mention.landmark);
  const agrees = (mention: Mention) =>
    mention.candidates.has(chosen) || refines(deciding, mention) || refines(mention, deciding);
  const agreeing = [...new Set(supporting.filter(agrees).map((mention) => mention.name))].filter(
    (name) => name !== deciding.name,
  );
  const disagreeing = [
    ...new Set(supporting.filter((mention) => !agrees(mention)).map((mention) => mention.name)),
  ];

  const decidingPlace =
    refinedPlaces[0] ??
    deciding.entries.flatMap((entry) =>
      entry.type === 'place' && (entry.place.area ?? 'unknown') === chosen ? [entry.place] : [],
    )[0];
  const base = BASE_CONFIDENCE[ORIGIN_TIER[deciding.origin]]![deciding.rank]!;
  const confidence = round(
    base - confidencePenalty(decidingPlace) + 0.05 * agreeing.length - 0.15 * disagreeing.length,
  );
  const support = [
    agreeing.length > 0 ? `${agreeing.join(', ')} agree${agreeing.length === 1 ? 's' : ''}` : '',
    disagreeing.length > 0
      ? `${disagreeing.join(', ')} point${disagreeing.length === 1 ? 's' : ''} elsewhere`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  const inUnit = refinedPlaces.length > 0 ? ` within ${[...units].join('/')}` : '';
  const tail = support ? `; ${support}` : '';

  if (chosen === 'unknown') {
    const district = decidingPlace?.district ?? null;
    const where = district ? ` (${districtName(district)}, ${district})` : '';
    return triage(
      methodOf(deciding),
      deciding.name,
      round(confidence - 0.1),
      `Sent to triage: ${describe(deciding)}${inUnit} is in 常熟市${where} but has no settled patrol area${tail}.`,
      district,
    );
  }
  const area = jurisdiction.areas.find((candidate) => candidate.id === chosen)!;
  return {
    area: area.id,
    district: area.district,
    method: methodOf(deciding),
    matched: deciding.name,
    matchedNames,
    confidence,
    explanation: `Routed to ${area.name} (${area.id}, ${districtName(area.district)}) by ${describe(deciding)}${inUnit}${tail}.`,
  };
}
