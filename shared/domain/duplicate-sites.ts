/**
 * The light half of 并单 (contract section 10): the matcher's configuration, what the duplicate index
 * keeps per tip and where it files it, and which cases a tip may join. No text processing: the case
 * API's `split` and `merge` need only this, the router also shared/domain/duplicates.ts.
 */
import type { AreaId, CaseRecord } from './model.js';

/** Every threshold of the matcher: configuration (MERGE_* variables, shared/composition/merging.ts). */
export interface DuplicateRules {
  /** A tip joins only a case opened (first tip received) at most this many days from it. */
  windowDays: number;
  /** Points at most this far apart (metres) are the same place without a shared village name. */
  radiusMetres: number;
  /** Points farther apart than this (metres) are never the same site, whatever names they share. */
  farApartMetres: number;
  /** The wording similarity (0-1) that makes two descriptions the same thing. */
  similarity: number;
  /**
   * The lower similarity enough for two tips that name the same production group (组), or whose
   * points are within the radius, and describe the same kind of violation (同组同类).
   */
  tiedSimilarity: number;
  /** A tip about the site of a case closed at most this many days before lists it (复发). */
  recurrenceDays: number;
  /** At most this many candidate cases are read per tip, best match first. */
  maxCandidates: number;
}

export const DEFAULT_DUPLICATE_RULES: DuplicateRules = {
  windowDays: 60,
  radiusMetres: 150,
  farApartMetres: 1000,
  similarity: 0.5,
  tiedSimilarity: 0.2,
  recurrenceDays: 365,
  maxCandidates: 5,
};

/**
 * The site index is a grid of cells `GRID_DEGREES` wide (about 333 m by 331 m around 常熟): a case
 * is filed under the 2×2 block of cells around its point and a tip looks in the one cell holding
 * its own, which finds every case within half a cell. A radius above this bound needs a coarser grid.
 */
export const GRID_DEGREES = { lat: 0.003, lng: 0.0035 } as const;
export const MAX_RADIUS_METRES = 160;
/** A tip is filed under at most this many villages (a list of ten villages is not a site). */
export const MAX_PLACES = 8;

/** What a tip says about its site, as the index keeps it (on the tip's anchor and its site items). */
export interface SiteFeatures {
  /** Ids of the villages and communities of the tip's area that it names (gazetteer codes). */
  places: string[];
  /** Their names as written, for the explanation. */
  placeNames: string[];
  /** The point in wgs84, when the tip has one. */
  point?: { lng: number; lat: number };
  /** Parties named: a company's core name (`建材` for 某建材有限公司) or `张某` for 张某某/姓张的/老张家. */
  parties: string[];
  /** Production groups named (`7` for 七组/7队). */
  groups: string[];
  /** House numbers named (`18` for 18号). */
  doors: string[];
  /** Kinds of activity described: build, dig, dump, trade. */
  activities: string[];
  /** The description normalised for comparison (places, numbers and filler removed, synonyms folded). */
  text: string;
}

/** One index entry: a tip of a case filed under one of its site keys. */
export interface SiteEntry {
  area: AreaId;
  /** `P:<place id>` or `G:<x>:<y>` (a grid cell). */
  key: string;
  caseId: string;
  tipId: string;
  /** When the case's first tip was received (ISO 8601): the window counts from here. */
  openedAt: string;
  features: SiteFeatures;
}

/** Great-circle distance in metres between two wgs84 points. */
export function distanceMetres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---------------------------------------------------------------------------------------------
// The index keys of a site

/** The grid cell of a wgs84 point. */
function cellOf(point: { lng: number; lat: number }): [number, number] {
  return [Math.floor(point.lng / GRID_DEGREES.lng), Math.floor(point.lat / GRID_DEGREES.lat)];
}

/**
 * Where a tip's site is filed: each village named, and the 2×2 block of grid cells around its
 * point (the four cells meeting at the grid corner nearest to it).
 */
export function siteKeysToWrite(features: SiteFeatures): string[] {
  const keys = features.places.map((place) => `P:${place}`);
  if (features.point) {
    const x = Math.round(features.point.lng / GRID_DEGREES.lng);
    const y = Math.round(features.point.lat / GRID_DEGREES.lat);
    for (const dx of [-1, 0]) for (const dy of [-1, 0]) keys.push(`G:${x + dx}:${y + dy}`);
  }
  return keys;
}

/** Where to look for cases at a tip's site: each village it names and the one cell of its point. */
export function siteKeysToRead(features: SiteFeatures): string[] {
  const keys = features.places.map((place) => `P:${place}`);
  if (features.point) {
    const [x, y] = cellOf(features.point);
    keys.push(`G:${x}:${y}`);
  }
  return keys;
}

/** The index entries of one tip of one case. */
export function siteEntries(
  features: SiteFeatures,
  at: { area: AreaId; caseId: string; tipId: string; openedAt: string },
): SiteEntry[] {
  return siteKeysToWrite(features).map((key) => ({ ...at, key, features }));
}

// ---------------------------------------------------------------------------------------------
// Candidate cases

const DAY_MS = 86_400_000;

/** When a case was opened: its first tip's receipt (a patrol case: its creation). */
export const caseOpenedAt = (record: Pick<CaseRecord, 'tips' | 'createdAt'>): string =>
  record.tips[0]?.receivedAt ?? record.createdAt;

/** A case closed by a brigade `merge` into another one (contract section 10). */
export const isMergedAway = (record: Pick<CaseRecord, 'mergedInto'>): boolean => Boolean(record.mergedInto);

/** May a tip received at `receivedAt` in `area` join this case? Open, not triage, same area, in the window. */
export function caseOpenFor(
  record: CaseRecord,
  area: AreaId,
  receivedAt: string,
  rules: DuplicateRules = DEFAULT_DUPLICATE_RULES,
): boolean {
  if (record.status === 'closed' || record.status === 'triage' || record.area !== area) return false;
  const apart = Math.abs(Date.parse(receivedAt) - Date.parse(caseOpenedAt(record)));
  return apart <= rules.windowDays * DAY_MS;
}

/** When a closed case was closed: its last close (or merge) event, else its last change. */
export function closedAt(record: CaseRecord): string {
  const closing = [...record.events]
    .reverse()
    .find((event) => event.type === 'close' || event.type === 'merge' || event.type === 'return');
  return closing?.at ?? record.updatedAt;
}

/** Is this closed case a recurrence (复发) for a tip received at `receivedAt` in `area`? */
export function recurrenceOf(
  record: CaseRecord,
  area: AreaId,
  receivedAt: string,
  rules: DuplicateRules = DEFAULT_DUPLICATE_RULES,
): boolean {
  if (record.status !== 'closed' || isMergedAway(record) || record.area !== area) return false;
  const since = Date.parse(receivedAt) - Date.parse(closedAt(record));
  return since >= 0 && since <= rules.recurrenceDays * DAY_MS;
}

/** How far back (from a tip's receipt) the index is read: the recurrence span plus a year of case life. */
export const lookbackDays = (rules: DuplicateRules): number =>
  Math.max(rules.windowDays, rules.recurrenceDays + 365);
