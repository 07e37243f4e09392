/**
 * One case per violation (并单, contract section 10): what a tip says about its site, and whether two
 * tips describe the same violation at the same site. Pure: the router hands it the jurisdiction's
 * place names and the texts; the index of sites and the stores live elsewhere.
 *
 * Two tips are the same violation when
 * - they are about the same place: a village or community of the area named by both, or points
 *   within `radiusMetres` of each other (both with coordinates), and
 * - their texts describe the same thing: the same party named by both, or similar wording (Dice
 *   coefficient of character unigrams and bigrams of the normalised description, with place names,
 *   numbers and filler removed and common synonyms folded) at or above `similarity`, and
 * - nothing in them says otherwise: different parties named, different production groups (组) or
 *   house numbers (号), activities of disjoint kinds (building against digging against dumping
 *   against selling), or points farther apart than `farApartMetres`.
 * Time, area and the candidate case's state (open, not triage, within the window) are the caller's
 * checks: see `caseOpenFor` and `recurrenceOf` below.
 */

import {
  DEFAULT_DUPLICATE_RULES,
  type DuplicateRules,
  distanceMetres,
  MAX_PLACES,
  type SiteFeatures,
} from './duplicate-sites.js';
import { convertPoint } from './geo.js';
import type { Jurisdiction } from './jurisdiction.js';
import type { AreaId, TipLocation } from './model.js';
import { nameAutomatonFor, normalizePlaceText } from './routing.js';
import { parseChineseNumber } from './severity.js';

export * from './duplicate-sites.js';

// ---------------------------------------------------------------------------------------------
// Places

export interface PlaceMention {
  start: number;
  end: number;
  name: string;
  /** Villages and communities this name can mean (empty for towns, streets, outside places). */
  villages: Array<{ id: string; area: AreaId | null }>;
}

/** Finds place names in normalised text (normalizePlaceText). */
export type PlaceFinder = (normalisedText: string) => PlaceMention[];

const finders = /* @__PURE__ */ new WeakMap<Jurisdiction, PlaceFinder>();

/** The place finder over the router's own name automaton (built once per jurisdiction). */
export function placeFinderFor(jurisdiction: Jurisdiction): PlaceFinder {
  let finder = finders.get(jurisdiction);
  if (!finder) {
    const automaton = nameAutomatonFor(jurisdiction);
    finder = (text) =>
      automaton.findLongest(text).map((match) => ({
        start: match.start,
        end: match.end,
        name: match.name,
        villages: match.values.flatMap((entry) =>
          entry.type === 'place' && (entry.place.kind === 'village' || entry.place.kind === 'community')
            ? [{ id: entry.place.source, area: entry.place.area }]
            : [],
        ),
      }));
    finders.set(jurisdiction, finder);
  }
  return finder;
}

// ---------------------------------------------------------------------------------------------
// Text

/** `七` → 7, `十二` → 12, `二十三` → 23, `12` → 12 (the severity rules' numeral reader); null otherwise. */
function smallNumber(text: string): number | null {
  const value = parseChineseNumber(text);
  return value !== null && Number.isInteger(value) ? value : null;
}

const GROUP_PATTERN = /(\d{1,3}|[一二两三四五六七八九十]{1,3})(?:村民小组|小组|组|队|生产队)/g;
const DOOR_PATTERN = /(\d{1,4})(?:号|幢|栋)/g;

/**
 * Synonyms folded to one word. One pass over the text: at each position the rules are tried in
 * this order (建筑垃圾 is rubbish before 建 is building; 挖地基 is a foundation before 挖 is digging).
 */
const SYNONYMS: ReadonlyArray<[RegExp, string]> = [
  [/建筑垃圾|建渣|渣土|废土|废料|生活垃圾|工业垃圾|垃圾/g, '垃圾'],
  [/挖地基|打地基|打桩|地基/g, '地基'],
  [/彩钢瓦房|彩钢板房|彩钢棚|彩钢房|铁皮房|铁皮棚|彩钢瓦|彩钢板|蓝色铁皮|铁皮|钢棚|铁棚/g, '彩钢棚'],
  [/养殖棚|鸡棚|鸭棚|猪棚|猪圈|鸡舍|鸭舍|养鸡棚|养猪场|养鸡场|养殖场/g, '养殖棚'],
  [/厂房|车间|厂棚|钢结构厂房/g, '厂房'],
  [/楼房|房屋|房子|民房|住房|平房|别墅|砖房|砖混房屋|砖混结构房屋|砖混房|小楼|楼/g, '房'],
  [
    /永久基本农田|基本农田|耕地|农田|良田|农用地|承包地|承包田|责任田|自留地|田地|庄稼地|菜地|田里|地里|田/g,
    '田',
  ],
  [
    /违章搭建|私搭乱建|乱搭乱建|违法建设|违章建筑|违建|新建|修建|兴建|建造|建设|搭建|加盖|盖起|盖了|搭了|砌了|砌|盖|造|搭/g,
    '建',
  ],
  [/乱倒|偷倒|倾倒|倒土|倒|堆放|堆积|乱堆|堆|填埋|回填|填平|填/g, '倒'],
  [/盗采|挖砂|采砂|抽砂/g, '采砂'],
  [/盗挖|挖土|取土|挖泥|开挖|挖掘|挖/g, '挖'],
  [/鱼塘|池塘|水塘|河塘/g, '塘'],
  [/围墙|围挡|围栏/g, '围墙'],
  [/水泥地坪|浇水泥|铺水泥|浇筑|混凝土|水泥|硬化/g, '硬化'],
  [/停车场|停车/g, '停车场'],
  [/租给|转租|出租/g, '出租'],
  [/卖地|卖给|出售|买卖|转让/g, '转让'],
];

/** Words that say nothing about the site (who called, when, please…), longest first. */
const FILLER_WORDS = [
  '巡查中发现',
  '巡查发现',
  '经巡查',
  '未经审批',
  '未经批准',
  '没有审批',
  '没看到审批',
  '没有手续',
  '无任何手续',
  '无审批手续',
  '相关部门',
  '有关部门',
  '来电人',
  '有户人家',
  '有个人',
  '有一户',
  '有一家',
  '这几天',
  '前几天',
  '这两天',
  '有人',
  '有家',
  '村民',
  '群众',
  '市民',
  '来电',
  '反映',
  '举报',
  '投诉',
  '发现',
  '现场',
  '目前',
  '现在',
  '已经',
  '正在',
  '最近',
  '近期',
  '近日',
  '晚上',
  '夜里',
  '半夜',
  '凌晨',
  '白天',
  '一直',
  '还在',
  '仍在',
  '继续',
  '情况',
  '问题',
  '行为',
  '现象',
  '非法',
  '违法',
  '违规',
  '私自',
  '擅自',
  '希望',
  '要求',
  '尽快',
  '赶紧',
  '处理',
  '查处',
  '核实',
  '制止',
  '管一管',
  '管管',
  '政府',
  '附近',
  '旁边',
  '边上',
  '北侧',
  '南侧',
  '东侧',
  '西侧',
  '东边',
  '西边',
  '南边',
  '北边',
  '东面',
  '西面',
  '南面',
  '北面',
  '东头',
  '西头',
  '门口',
  '对面',
  '后面',
  '前面',
  '里面',
  '上面',
  '进行',
  '存在',
  '一处',
  '一块',
  '一片',
  '一些',
  '好几',
  '很多',
  '大量',
  '大片',
  '左右',
  '大约',
  '大概',
  '占地',
  '面积',
  '当事人',
  '自家',
  '自己',
  '村里',
  '村上',
  '村口',
  '常熟市',
  '常熟',
];
/**
 * Tables built on first use, so that a bundle using nothing of this module (the case API, which
 * imports the router's use case for `split`) drops all of it.
 */
const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};
const fillerPattern = /* @__PURE__ */ lazy(() => new RegExp(FILLER_WORDS.join('|'), 'g'));
const synonymPattern = /* @__PURE__ */ lazy(
  () => new RegExp(SYNONYMS.map(([pattern]) => pattern.source).join('|'), 'g'),
);
const synonymOf = /* @__PURE__ */ lazy(
  () =>
    new Map(
      SYNONYMS.flatMap(([pattern, word]) =>
        pattern.source.split('|').map((variant) => [variant, word] as const),
      ),
    ),
);
const FILLER_CHARACTERS =
  /[的了在有是和与及把被将对向从给也都就还又很着过呢吧啊呀吗么个些其该此这那里上内边处约多余说称请人]/g;

/**
 * A number and its unit (两亩左右, 300平方米, 三层, 10余间…): never what tells two sites apart here.
 * Chinese numerals count only with a unit, so 一直 and 统一 stay words.
 */
const NUMBER_UNITS =
  '亩|平方米|平方|平米|㎡|米|层|间|栋|幢|座|个|辆|台|吨|方|车|户|天|年|月|日|号|点|时|分|处|块|排';
const numberPattern = /* @__PURE__ */ lazy(
  () =>
    new RegExp(
      `(?:约|大约|近|超过|将近)?(?:\\d+(?:\\.\\d+)?(?:多|余|来)?(?:${NUMBER_UNITS})?|[零〇一二两三四五六七八九十百千万]+(?:多|余|来)?(?:${NUMBER_UNITS}))`,
      'g',
    ),
);

const ACTIVITY_WORDS: ReadonlyArray<[string, RegExp]> = [
  ['dump', /垃圾|倒/],
  ['dig', /挖|采砂|采石|深坑/],
  ['trade', /出租|转让|小产权/],
  ['build', /建|房|棚|厂房|地基|围墙|硬化|停车场|加层|扩建|钢结构/],
];

/** Surnames common around 常熟, for 张某 / 姓张的 / 老张家: 有某人 names nobody. */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤殷浦瞿归翁季缪';

const ORGANISATION_SUFFIX =
  /(有限责任公司|股份有限公司|有限公司|公司|集团|砖瓦厂|厂|股份经济合作社|经济合作社|专业合作社|合作社|家庭农场|农场|生态农庄|农庄|山庄|商行|经营部|门市部)/g;
/** Where the name before an organisation suffix stops, reading backwards. */
const NAME_STOP =
  /[^\u4e00-\u9fffA-Za-z0-9]|[在有把被给由的是和与及对向从到个一这那该此其了说称为让叫请将帮替家旁边内里]/;

/** Parties named in `text` (normalised): `建材` for 某建材有限公司, `张某` for 张某某 / 姓张的 / 老张家. */
export function partiesIn(text: string): string[] {
  const parties = new Set<string>();
  for (const match of text.matchAll(ORGANISATION_SUFFIX)) {
    let start = match.index;
    while (start > 0 && match.index - start < 12 && !NAME_STOP.test(text[start - 1]!)) start -= 1;
    const core = text
      .slice(start, match.index)
      .replace(/^(常熟市|常熟|江苏省|苏州市)+/, '')
      .replace(/^某+/, '');
    if (core.length >= 2) parties.add(core);
  }
  const person = (surname: string | undefined) => {
    if (surname && surname.length === 1 && SURNAMES.includes(surname)) parties.add(`${surname}某`);
  };
  for (const match of text.matchAll(/(.)某/g)) person(match[1]);
  for (const match of text.matchAll(/姓(.)/g)) person(match[1]);
  for (const match of text.matchAll(/老(.)(?:家|头|板)/g)) person(match[1]);
  for (const match of text.matchAll(/(.)(?:老板|师傅|书记|队长|会计)/g)) person(match[1]);
  return [...parties];
}

/** The 12336 `subject` field as a party: its organisation or person, else the name itself. */
export function partiesOfSubject(subject: string | undefined): string[] {
  if (!subject) return [];
  const text = normalizePlaceText(subject);
  const found = partiesIn(text);
  if (found.length > 0) return found;
  const bare = text.replace(/^某+/, '');
  return bare.length >= 2 && bare.length <= 12 ? [bare] : [];
}

function numbersOf(pattern: RegExp, text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    const value = smallNumber(match[1]!);
    if (value !== null) found.add(String(value));
  }
  return [...found];
}

/** Blanks the given spans of `text` with a separator (so no bigram bridges a removed name). */
function blank(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  let result = '';
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    result += `${text.slice(at, span.start)}|`;
    at = span.end;
  }
  return result + text.slice(at);
}

/** The description as compared: places blanked, numbers and filler removed, synonyms folded. */
export function comparableText(
  text: string,
  placeSpans: ReadonlyArray<{ start: number; end: number }>,
): string {
  let result = blank(text, placeSpans)
    .replace(GROUP_PATTERN, '|')
    .replace(DOOR_PATTERN, '|')
    .replace(fillerPattern(), '|')
    .replace(numberPattern(), '|');
  result = result.replace(synonymPattern(), (variant) => synonymOf().get(variant) ?? variant);
  // Twice: removing 有 or 的 can leave a filler phrase whole (没看到有审批 → 没看到审批).
  result = result.replace(fillerPattern(), '|').replace(FILLER_CHARACTERS, '').replace(fillerPattern(), '|');
  // Only Chinese characters, letters and the separators between pieces remain.
  return result
    .toLowerCase()
    .replace(/[^\u4e00-\u9fffa-z|]+/g, '|')
    .replace(/\|+/g, '|')
    .replace(/^\||\|$/g, '')
    .slice(0, 200);
}

function activitiesOf(canonical: string): string[] {
  let rest = canonical;
  const found: string[] = [];
  for (const [activity, pattern] of ACTIVITY_WORDS) {
    if (pattern.test(rest)) found.push(activity);
    // 垃圾 is dumping, never building: what one class claimed does not count for the next.
    if (activity === 'dump') rest = rest.replace(/垃圾/g, '');
  }
  return found;
}

/**
 * The character unigrams and bigrams of a comparable text (pieces split at the separators), each
 * as one number (a unigram is its code, a bigram two codes side by side), remembered per text: a tip
 * is compared with several candidates, and a candidate with several tips.
 */
const gramCache = /* @__PURE__ */ new Map<string, Set<number>>();
const GRAM_CACHE_SIZE = 2_000;

function grams(text: string): Set<number> {
  let set = gramCache.get(text);
  if (set) return set;
  set = new Set<number>();
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 124 /* | */) {
      previous = -1;
      continue;
    }
    set.add(code);
    if (previous >= 0) set.add(previous * 65_536 + code);
    previous = code;
  }
  if (gramCache.size >= GRAM_CACHE_SIZE) gramCache.clear();
  gramCache.set(text, set);
  return set;
}

/** Dice coefficient of the two texts' unigram-and-bigram sets (0 when either is empty). */
export function textSimilarity(a: string, b: string): number {
  const left = grams(a);
  const right = grams(b);
  if (left.size === 0 || right.size === 0) return 0;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared += 1;
  return (2 * shared) / (left.size + right.size);
}

export interface SiteInput {
  title?: string;
  description: string;
  location: TipLocation;
  /** The 12336 `subject` (被举报对象), when given. */
  subject?: string;
}

/** What a tip says about its site, for a tip routed to `area`. */
export function siteFeatures(tip: SiteInput, area: AreaId, findPlaces: PlaceFinder): SiteFeatures {
  const { location } = tip;
  const fields = [location.community, location.street, location.town, location.region, location.address]
    .filter((field): field is string => Boolean(field))
    .map(normalizePlaceText);
  const description = normalizePlaceText([tip.title, tip.description].filter(Boolean).join('。'));
  const places = new Map<string, string>();
  const note = (mentions: PlaceMention[]) => {
    for (const mention of mentions)
      for (const village of mention.villages)
        if (village.area === area && !places.has(village.id)) places.set(village.id, mention.name);
  };
  for (const field of fields) note(findPlaces(field));
  const mentions = findPlaces(description);
  note(mentions);
  const everything = [...fields, description].join('。');
  const text = comparableText(description, mentions);
  const point = location.point ? convertPoint(location.point, 'wgs84') : undefined;
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  // At most MAX_PLACES villages: a tip's entries are written in one transaction with its case.
  const named = [...places.entries()].slice(0, MAX_PLACES);
  return {
    places: named.map(([id]) => id),
    placeNames: named.map(([, name]) => name),
    ...(point ? { point: { lng: round(point[0]), lat: round(point[1]) } } : {}),
    parties: [...new Set([...partiesOfSubject(tip.subject), ...partiesIn(description)])],
    groups: numbersOf(GROUP_PATTERN, everything),
    doors: numbersOf(DOOR_PATTERN, everything),
    activities: activitiesOf(text),
    text,
  };
}

// ---------------------------------------------------------------------------------------------
// Comparing two sites

const sameParty = (a: string, b: string) =>
  a === b || (Math.min(a.length, b.length) >= 2 && (a.includes(b) || b.includes(a)));

export interface SiteComparison {
  same: boolean;
  /** For ranking candidates: wording, plus what else ties them. */
  score: number;
  similarity: number;
  distanceMetres?: number;
  sharedPlaces: string[];
  party?: string;
  /** Why (or why not), in Chinese, for the case's event and the evaluation's report. */
  reason: string;
}

const intersects = (a: readonly string[], b: readonly string[]) => a.some((value) => b.includes(value));
const ACTIVITY_LABELS: Record<string, string> = {
  build: '建设',
  dig: '挖掘',
  dump: '倾倒',
  trade: '买卖出租',
};

/** Are `tip` and `known` (a tip of a candidate case) the same violation at the same site? */
export function compareSites(
  tip: SiteFeatures,
  known: SiteFeatures,
  rules: DuplicateRules = DEFAULT_DUPLICATE_RULES,
): SiteComparison {
  const sharedPlaces = tip.places.filter((place) => known.places.includes(place));
  const distance = tip.point && known.point ? distanceMetres(tip.point, known.point) : undefined;
  const similarity = Math.round(textSimilarity(tip.text, known.text) * 100) / 100;
  const party = tip.parties.find((mine) => known.parties.some((theirs) => sameParty(mine, theirs)));
  const near = distance !== undefined && distance <= rules.radiusMetres;
  const base = {
    similarity,
    ...(distance !== undefined ? { distanceMetres: Math.round(distance) } : {}),
    sharedPlaces,
    ...(party ? { party } : {}),
  };
  const no = (reason: string): SiteComparison => ({ ...base, same: false, score: 0, reason });

  if (sharedPlaces.length === 0 && !near) {
    return no(
      distance !== undefined
        ? `不是同一地点：未提到同一村（社区），两点相距${Math.round(distance)}米`
        : '不是同一地点：未提到同一村（社区），也无可比的坐标',
    );
  }
  if (distance !== undefined && distance > rules.farApartMetres)
    return no(`不是同一地块：两点相距${Math.round(distance)}米`);
  if (tip.parties.length > 0 && known.parties.length > 0 && !party)
    return no(`当事人不同：${tip.parties.join('、')}／${known.parties.join('、')}`);
  if (tip.groups.length > 0 && known.groups.length > 0 && !intersects(tip.groups, known.groups))
    return no(`村民小组不同：${tip.groups.join('、')}组／${known.groups.join('、')}组`);
  if (tip.doors.length > 0 && known.doors.length > 0 && !intersects(tip.doors, known.doors))
    return no(`门牌号不同：${tip.doors.join('、')}号／${known.doors.join('、')}号`);
  if (
    tip.activities.length > 0 &&
    known.activities.length > 0 &&
    !intersects(tip.activities, known.activities)
  ) {
    const label = (list: string[]) => list.map((a) => ACTIVITY_LABELS[a] ?? a).join('、');
    return no(`违法行为不同：${label(tip.activities)}／${label(known.activities)}`);
  }
  const sameGroup = intersects(tip.groups, known.groups);
  const sameKind = intersects(tip.activities, known.activities);
  const tied = (sameGroup || near) && sameKind;
  const threshold = tied ? rules.tiedSimilarity : rules.similarity;
  if (!party && similarity < threshold)
    return no(`描述不相似（相似度${similarity.toFixed(2)}，阈值${threshold.toFixed(2)}）`);

  const where =
    sharedPlaces.length > 0
      ? `同在${sharedPlaces.map((id) => placeLabel(id, tip, known)).join('、')}`
      : `两点相距${Math.round(distance!)}米`;
  const kind = tip.activities
    .filter((activity) => known.activities.includes(activity))
    .map((activity) => ACTIVITY_LABELS[activity] ?? activity)
    .join('、');
  const what = party
    ? `当事人相同（${party.endsWith('某') ? party : `名称含“${party}”`}）`
    : similarity >= rules.similarity
      ? `描述相似（相似度${similarity.toFixed(2)}）`
      : `${sameGroup ? `同为${tip.groups.find((g) => known.groups.includes(g))}组` : '相距不远'}的同类违法（${kind}，相似度${similarity.toFixed(2)}）`;
  const score =
    similarity +
    (party ? 0.5 : 0) +
    (near ? 0.2 : 0) +
    (sameGroup ? 0.2 : 0) +
    (sharedPlaces.length > 0 ? 0.1 : 0);
  return { ...base, same: true, score: Math.round(score * 100) / 100, reason: `${where}，${what}` };
}

function placeLabel(id: string, ...sites: SiteFeatures[]): string {
  for (const site of sites) {
    const index = site.places.indexOf(id);
    if (index >= 0 && site.placeNames.length === site.places.length) return site.placeNames[index]!;
  }
  return sites[0]?.placeNames[0] ?? id;
}
