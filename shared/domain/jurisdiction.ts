/**
 * The shape of the jurisdiction the router works over: patrol areas, districts and every place name
 * a caller may use. Pure types; the data and its loader live in shared/config/jurisdiction.
 */
import type { AreaBoundaries } from './geo.js';
import type { AreaId, DistrictId } from './model.js';

export interface AreaDefinition {
  id: AreaId;
  /** The Chinese name the case shows, e.g. 沙家浜镇. */
  name: string;
  district: DistrictId;
  /** The names the patrol rules use plus common aliases; each one routes to this area on its own. */
  aliases: readonly string[];
  /**
   * The statistical unit (街道/镇) this area is only a part of, e.g. the 度假区 lies inside 虞山街道.
   * A mention of the area then refines, rather than contradicts, a mention of that unit.
   */
  within?: string;
}

export interface DistrictDefinition {
  id: DistrictId;
  /** 第一片区 … 第五片区. */
  name: string;
}

export type PlaceKind = 'area' | 'town' | 'street' | 'former_town' | 'village' | 'community';
export type PlaceConfidence = 'high' | 'medium' | 'low';

export interface PlaceName {
  name: string;
  kind: PlaceKind;
  /** null: the place is in Changshu but its patrol area is not known (routes to triage). */
  area: AreaId | null;
  district: DistrictId | null;
  /** Where the name comes from, e.g. `gazetteer-2020:320581105001` or `areas.ts`. */
  source: string;
  confidence: PlaceConfidence;
  /**
   * The statistical unit (镇/街道 of today) the place denotes (town, street) or lies in (village,
   * community, former town); null when not known.
   */
  unit: string | null;
  /** False for short names and aliases (花园浜 for 花园浜社区居委会): weaker evidence. */
  formal: boolean;
}

/** A name that belongs to no single area on its own (尚湖 is a lake, a resort and a town). */
export interface AmbiguousName {
  name: string;
  areas: readonly (AreaId | null)[];
  note: string;
}

/** Names of places outside Changshu: a tip there is triaged, never routed to the nearest area. */
export interface OutsidePlace {
  name: string;
  /** What the place is, in Chinese, for the explanation: `苏州市相城区的街道，区划代码320507003`. */
  note?: string;
  /** Where the name comes from, e.g. `neighbours:320507003` or `areas.ts`. */
  source?: string;
  confidence?: PlaceConfidence;
}

/**
 * Words that name a kind of zone, not a place: every town has its 工业园区 and its 开发区, and
 * 苏州工业园区 or 昆山开发区 are other cities' zones. Such a word never decides a tip on its own: the
 * router sets it aside whenever the tip names anything more specific, and never reads it as a place
 * outside the city. Outside zones are listed only in forms that name them (苏州工业园区, 昆山开发区).
 */
export const GENERIC_ZONE_WORDS: ReadonlySet<string> = new Set([
  '开发区',
  '经济开发区',
  '经济技术开发区',
  '经开区',
  '高新区',
  '高新技术开发区',
  '高新技术产业开发区',
  '工业园区',
  '工业园',
  '工业区',
  '工业集中区',
  '园区',
  '产业园',
]);

export interface Jurisdiction {
  areas: readonly AreaDefinition[];
  districts: readonly DistrictDefinition[];
  places: readonly PlaceName[];
  outside: readonly OutsidePlace[];
  /** Prefixes stripped from the front of every field before matching (江苏省, 苏州市, 常熟市 …). */
  prefixes: readonly string[];
  /**
   * Area boundary polygons a deployer supplied (none ship: no public boundaries exist). Without
   * them coordinates add nothing to a routing decision.
   */
  boundaries?: AreaBoundaries;
}

export const findArea = (jurisdiction: Jurisdiction, id: AreaId): AreaDefinition => {
  const area = jurisdiction.areas.find((candidate) => candidate.id === id);
  if (!area) throw new Error(`area ${id} is not configured`);
  return area;
};
