/**
 * Which sub-bureau a tip belongs to, from the place names in its location fields and text.
 *
 * Evidence, strongest first: explicit fields (town, region, street, then community) > the address
 * text > the description; within each, a town/area name > a former town > a village/community.
 * The strongest level present decides; mentions there that disagree send the tip to triage, weaker
 * ones only raise or lower the confidence. A village inside the deciding unit refines it (虞山街道
 * holds both 虞山 and 度假区 villages). Places outside 常熟市 are triaged, never routed to the
 * nearest area, and a village or former town never outweighs a town outside the city: village names
 * repeat across the border. Generic zone words (工业园区, 开发区 …) speak only when nothing more
 * specific is named.
 */
import { areasContaining } from './geo.js';
import {
  findArea,
  GENERIC_ZONE_WORDS,
  type Jurisdiction,
  type OutsidePlace,
  type PlaceName,
} from './jurisdiction.js';
import { bureauName, CRS_LABELS, LOCATION_FIELD_LABELS } from './labels.js';
import type { AreaId, DistrictId, GeoPoint, RoutingDecision, TipLocation } from './model.js';
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
  | 'conflict'
  | 'coordinates';

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
  /** A generic zone word (经济开发区, 高新区 …): set aside when anything more specific is named. */
  generic: boolean;
}

const ORIGIN_TIER: Record<Origin, number> = {
  town: 0,
  region: 0,
  street: 0,
  community: 0,
  address: 1,
  text: 2,
};
/** Where a mention was found, as the explanation (in Chinese, contract 11) names it. */
const ORIGIN_LABEL: Record<Origin, string> = LOCATION_FIELD_LABELS;
/** `地址中的"梅李镇"`: a mention as the explanation quotes it. */
const quoted = (mention: Pick<Mention, 'name' | 'origin'>) =>
  `${ORIGIN_LABEL[mention.origin]}中的"${mention.name}"`;
/** The prefix of every explanation that sends a tip to the brigade's triage. */
const TRIAGE = '转监察大队研判：';
const BASE_CONFIDENCE = [
  [0.95, 0.85, 0.8],
  [0.85, 0.75, 0.65],
  [0.75, 0.65, 0.55],
] as const;

/** Preceded or followed by these, an outside place is a landmark ("与昆山交界"), not the location. */
const RELATIONAL_BEFORE = /(与|和|跟|靠近|临近|毗邻|邻近|接壤|往|去|到|通往|至|近|从|由|来自)$/;
const RELATIONAL_AFTER =
  /^(交界|接壤|边界|方向|那边|一带交界|人|的人|老板|公司|牌照|车牌|籍|过来|运来|拉来|运过来)/;
/** Another city or province opening an address; not 市场/市民/市政/市镇 (吴市市镇社区 is in 碧溪). */
const HEAD_CITY = /^[\u4e00-\u9fff]{2,3}[市省](?![场民政镇])/;

/**
 * Variant and traditional characters seen in place names and the words around them, folded to the
 * form the statistical lists use (坵 → 丘 as in 坞坵, 洩 → 泄, 鎮 → 镇 …). Only one-to-one foldings:
 * a character with two simplified readings is left alone.
 */
const VARIANT_CHARACTERS: Readonly<Record<string, string>> = Object.fromEntries(
  [
    '坵丘 洩泄 鎮镇 區区 縣县 鄉乡 蘇苏 東东 張张 橋桥 灣湾 陳陈 莊庄 楊杨 園园 龍龙 陸陆 門门 興兴 華华',
    '義义 蔣蒋 號号 組组 場场 國国 開开 發发 濱滨 涇泾 漁渔 溝沟 壩坝 塢坞 學学 寶宝 豐丰 馬马 劉刘 趙赵',
    '錢钱 孫孙 吳吴 鄭郑 葉叶 許许 黃黄 紅红 綠绿 陽阳 鳳凤 廠厂 頭头 邊边 廣广 長长 衛卫 萬万 蕩荡 樂乐',
    '鐵铁 灘滩 灣湾 澗涧 徑径 滬沪 錫锡 倉仓 崑昆 嶼屿 瀏浏 術术 園园 閘闸 圍围 號号 屬属 總总 舊旧 舍舍',
    '遊游 館馆 樓楼 廟庙 裏里 裡里 虛虚 擬拟 塘塘 墅墅 燈灯 藝艺 區区 禮礼 蘆芦 芙芙 淼淼 觀观 紮扎 對对 邊边 側侧 這这 塊块',
  ]
    .join(' ')
    .split(' ')
    .filter((pair) => pair[0] !== pair[1])
    .map((pair) => [pair[0]!, pair[1]!]),
);
/** Characters NFKC changes in Chinese text: full-width forms, ideographic space, CJK compatibility. */
const COMPATIBILITY_CHARACTER =
  /[\u00a0\u2000-\u2fff\u3000\u3200-\u33ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
const VARIANT_PATTERN = new RegExp(`[${Object.keys(VARIANT_CHARACTERS).join('')}]`, 'g');

/**
 * The form names and text are compared in: full-width to half-width (NFKC), variant and traditional
 * characters folded, whitespace removed.
 */
export function normalizePlaceText(text: string): string {
  // NFKC is the costly step; most text has no compatibility character at all.
  const folded = COMPATIBILITY_CHARACTER.test(text) ? text.normalize('NFKC') : text;
  return folded.replace(/\s+/g, '').replace(VARIANT_PATTERN, (char) => VARIANT_CHARACTERS[char] ?? char);
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
    const generic = GENERIC_ZONE_WORDS.has(match.name);
    // A generic zone word never names a place outside the city, whatever the list says.
    const allEntries = generic ? match.values.filter((entry) => entry.type !== 'outside') : [...match.values];
    if (allEntries.length === 0) continue;
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
      generic,
    });
  }
  // An address that opens with another city or province ("宿迁市…", "浙江省…") is outside, whatever follows.
  if (origin !== 'text') {
    const rest = stripPrefixes(text, jurisdiction.prefixes);
    const head = HEAD_CITY.exec(rest)?.[0];
    const offset = text.length - rest.length;
    const covered = matches.some((match) => match.start < offset + (head?.length ?? 0) && match.end > offset);
    if (head && !covered && !jurisdiction.prefixes.includes(head)) {
      const place: OutsidePlace = { name: head, note: '地址开头为外地市、省' };
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
        generic: false,
      });
    }
  }
  return mentions;
}

const unitsDenoted = (mention: Mention): Set<string> =>
  new Set(
    mention.allEntries.flatMap((entry) =>
      entry.type === 'place' &&
      (entry.place.kind === 'town' || entry.place.kind === 'street' || entry.place.kind === 'former_town') &&
      entry.place.unit
        ? [entry.place.unit]
        : [],
    ),
  );

/** The entries of `inner` that lie inside one of `units` (a village of 虞山街道, say). */
const entriesInside = (inner: Mention, units: Set<string>): PlaceName[] =>
  inner.allEntries.flatMap((entry) =>
    entry.type === 'place' &&
    (entry.place.kind === 'village' || entry.place.kind === 'community') &&
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
  const mentions = collectMentions(input, jurisdiction, automaton);
  const byNames = decideByNames(mentions, jurisdiction);
  return weighCoordinates(byNames, mentions, location.point, jurisdiction);
}

function collectMentions(
  input: { location: TipLocation; text: string },
  jurisdiction: Jurisdiction,
  automaton: NameAutomaton<NameEntry>,
): Mention[] {
  const { location } = input;
  return [
    ...mentionsIn(location.town, 'town', jurisdiction, automaton),
    ...mentionsIn(location.region, 'region', jurisdiction, automaton),
    ...mentionsIn(location.street, 'street', jurisdiction, automaton),
    ...mentionsIn(location.community, 'community', jurisdiction, automaton),
    ...mentionsIn(location.address, 'address', jurisdiction, automaton),
    ...mentionsIn(input.text, 'text', jurisdiction, automaton),
  ];
}

function decideByNames(found: Mention[], jurisdiction: Jurisdiction): TipRouting {
  const matchedNames = [...new Set(found.map((mention) => mention.name))];
  // A generic zone word (经济开发区, 高新区 …) speaks only when nothing more specific is named.
  const setAsideGeneric =
    found.some((mention) => mention.generic) &&
    found.some((mention) => !mention.generic && !mention.landmark);
  const mentions = setAsideGeneric ? found.filter((mention) => !mention.generic) : found;
  const setAside = setAsideGeneric
    ? [...new Set(found.filter((mention) => mention.generic).map((mention) => mention.name))]
    : [];
  const areaLabel = (candidate: Candidate): string => {
    if (candidate === 'outside') return '常熟市以外';
    if (candidate === 'unknown') return '未划定巡查片区的单位';
    const area = jurisdiction.areas.find((a) => a.id === candidate);
    return area ? area.name : candidate;
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
    return triage('none', null, 0, `${TRIAGE}举报中未找到常熟市的地名。`);
  }

  const strongest = Math.min(...mentions.map((mention) => mention.level));
  const atStrongest = mentions.filter((mention) => mention.level === strongest);
  // The more specific of two nested names at one level speaks for both (虞山街道 + 度假区).
  const decisive = atStrongest.filter((outer) => !atStrongest.some((inner) => refines(inner, outer)));
  const weaker = mentions.filter((mention) => mention.level > strongest);
  const describe = quoted;

  let candidates = intersect(decisive.map((mention) => mention.candidates));
  if (candidates.size === 0) {
    const outside = decisive.find((mention) => mention.candidates.has('outside'));
    const parts = decisive.map(
      (mention) => `${describe(mention)}指向${[...mention.candidates].map(areaLabel).join('或')}`,
    );
    return triage(
      'conflict',
      outside?.name ?? null,
      0,
      `${TRIAGE}同等依据的地名互相矛盾：${parts.join('；')}。`,
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
      `${TRIAGE}${describe(decider)}可能指${[...candidates].map(areaLabel).join('或')}，举报中没有其他信息可以确定。`,
      shared,
    );
  }

  let chosen = [...candidates][0]!;
  if (chosen === 'outside') {
    const outsidePlaces = decider.entries.flatMap((entry) => (entry.type === 'outside' ? [entry.place] : []));
    const notes = [...new Set(outsidePlaces.flatMap((place) => (place.note ? [place.note] : [])))];
    const unsure = outsidePlaces.every(
      (place) => place.confidence === 'medium' || place.confidence === 'low',
    );
    return triage(
      'outside_city',
      decider.name,
      round(0.95 - 0.1 * ORIGIN_TIER[decider.origin] - (unsure ? 0.05 : 0)),
      `${TRIAGE}${describe(decider)}位于常熟市以外${notes.length > 0 ? `（${notes.join('；')}）` : ''}，系统不就近分派。`,
    );
  }

  // Village names repeat across the border: a village or former town of the city never outweighs a
  // town, subdistrict or county outside it, wherever each is written (黄桥街道 of 相城 + 方浜村).
  if (decider.rank > 0) {
    const outside = mentions.filter(
      (mention) => mention !== decider && !mention.landmark && mention.candidates.has('outside'),
    );
    if (outside.length > 0) {
      const names = [...new Set(outside.map(describe))];
      return triage(
        'conflict',
        outside[0]!.name,
        0,
        `${TRIAGE}${describe(decider)}只是${decider.rank === 1 ? '原乡镇' : '村（社区）'}名，而${names.join('、')}位于常熟市以外；此类地名在市界两侧重复出现，系统不作推断。`,
      );
    }
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
    agreeing.length > 0 ? `${agreeing.join('、')}与此相符` : '',
    disagreeing.length > 0 ? `${disagreeing.join('、')}指向别处` : '',
  ]
    .filter(Boolean)
    .join('；');
  const inUnit = refinedPlaces.length > 0 ? `（位于${[...units].join('、')}）` : '';
  const asideClause =
    setAside.length > 0 ? `${setAside.map((word) => `"${word}"`).join('、')}为通用园区名称，不作依据` : '';
  const tail = [support, asideClause]
    .filter(Boolean)
    .map((part) => `；${part}`)
    .join('');

  if (chosen === 'unknown') {
    const district = decidingPlace?.district ?? null;
    const where = district ? `（${districtName(district)}）` : '';
    return triage(
      methodOf(deciding),
      deciding.name,
      round(confidence - 0.1),
      `${TRIAGE}${describe(deciding)}${inUnit}位于常熟市${where}，但尚未划定巡查片区${tail}。`,
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
    explanation: `依据${describe(deciding)}${inUnit}分派至${bureauName(area.id)}（${districtName(area.district)}）${tail}。`,
  };
}

const withClause = (explanation: string, clause: string): string =>
  `${explanation.replace(/。$/, '')}；${clause}。`;

/**
 * Coordinates as evidence, only where a deployer configured area boundaries. A point inside exactly
 * one area's boundary counts as much as a town name in a field: it routes on its own and a village
 * or the description never overrules it, while a town-level name (field or address: town, street,
 * area, former town, unit without area, place outside the city; never a generic zone word) that
 * disagrees sends the tip to triage, because a point near a border and a name said on the phone are
 * equally easy to get wrong.
 * A point in no boundary, or in two overlapping ones, decides nothing.
 */
function weighCoordinates(
  decision: TipRouting,
  mentions: Mention[],
  point: GeoPoint | undefined,
  jurisdiction: Jurisdiction,
): TipRouting {
  if (!point) return decision;
  const boundaries = jurisdiction.boundaries;
  if (!boundaries || boundaries.features.length === 0) {
    return {
      ...decision,
      explanation: withClause(decision.explanation, '未配置片区边界，坐标不作依据'),
    };
  }
  const areas = areasContaining(point, boundaries);
  const areaLabel = (id: AreaId) => findArea(jurisdiction, id).name;
  if (areas.length !== 1) {
    const clause =
      areas.length === 0
        ? '坐标点不在任何已配置的片区边界内'
        : `坐标点位于${areas.map(areaLabel).join('与')}相互重叠的边界内，不作依据`;
    return { ...decision, explanation: withClause(decision.explanation, clause) };
  }
  const inside = areas[0]!;
  const area = findArea(jurisdiction, inside);
  const pointLabel = `${CRS_LABELS[point.crs] ?? '坐标'}点位于${areaLabel(inside)}的已配置边界内`;
  const nests = (mention: Mention) => area.within !== undefined && unitsDenoted(mention).has(area.within);
  const disagreeing = mentions.filter(
    (mention) =>
      ORIGIN_TIER[mention.origin] <= 1 &&
      mention.rank <= 1 &&
      !mention.landmark &&
      !mention.generic &&
      !mention.candidates.has(inside) &&
      !nests(mention),
  );
  if (disagreeing.length > 0) {
    const names = [...new Set(disagreeing.map(quoted))];
    return {
      ...decision,
      area: null,
      district: null,
      method: 'conflict',
      confidence: 0,
      explanation: `${TRIAGE}${pointLabel}，与${names.join('、')}不符。`,
    };
  }
  if (decision.area === inside) {
    return {
      ...decision,
      confidence: round(decision.confidence + 0.05),
      explanation: withClause(decision.explanation, `${pointLabel}，与此相符`),
    };
  }
  const overruled = [
    ...new Set(
      mentions.filter((mention) => !mention.landmark && !mention.candidates.has(inside)).map((m) => m.name),
    ),
  ];
  const districtName = jurisdiction.districts.find((d) => d.id === area.district)?.name ?? area.district;
  return {
    area: inside,
    district: area.district,
    method: 'coordinates',
    matched: null,
    matchedNames: decision.matchedNames ?? [],
    confidence: round(0.9 - 0.1 * overruled.length),
    explanation: `${pointLabel}，据此分派至${bureauName(inside)}（${districtName}）${
      overruled.length > 0 ? `；${overruled.join('、')}指向别处` : ''
    }。`,
  };
}
