/**
 * Text rules for a new case: how grave it is (contract section 4), which partner departments join
 * (section 5) and which violation type it is when the source did not say. All lists are
 * configuration objects; the functions take them as optional arguments.
 */
import type { PartnerDepartment, Severity, ViolationType } from './model.js';

// ---------------------------------------------------------------------------------------------
// Stated land areas

/** 1 亩 = 10000/15 m² ≈ 666.67 m²; 1 公顷 = 15 亩. */
export const SQUARE_METRES_PER_MU = 10000 / 15;
export const MU_PER_HECTARE = 15;

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A number written in Chinese numerals, Arabic digits or a mix (3千, 1.5万), as its lower bound
 * where the text is vague: 几 after a unit is 1 (十几 = 11, 二十几 = 21), 几 before a unit or alone
 * is 2 (几十 = 20, 几亩 = 2); 半 alone is 0.5. Null when the text is not a number.
 */
export function parseChineseNumber(text: string): number | null {
  const mixed = /^(\d+(?:\.\d+)?)([十百千万]?)$/.exec(text);
  if (mixed) {
    const unit = mixed[2] === '万' ? 10000 : mixed[2] ? CN_UNITS[mixed[2]]! : 1;
    return Number(mixed[1]) * unit;
  }
  if (text === '半') return 0.5;
  // 万亩 on its own is a figure of speech (万亩良田), not a measurement.
  if (text === '万') return null;
  if (!/^[零〇一二两三四五六七八九十百千万几]+$/.test(text)) return null;
  let total = 0;
  let section = 0;
  let current = 0;
  let previousWasUnit = false;
  let previousWasDigit = false;
  for (const char of text) {
    if (char in CN_DIGITS) {
      const digit = CN_DIGITS[char]!;
      // Two digits side by side give a range (三四亩, 七八十亩): keep its lower end.
      current = previousWasDigit ? Math.min(current, digit) : digit;
      previousWasUnit = false;
      // 零 only holds a place (一百零五): the digit after it starts afresh.
      previousWasDigit = digit !== 0;
      continue;
    }
    previousWasDigit = false;
    if (char === '几') {
      current = previousWasUnit ? 1 : 2;
      previousWasUnit = false;
    } else if (char === '万') {
      total += (section + current || 1) * 10000;
      section = 0;
      current = 0;
      previousWasUnit = true;
    } else {
      section += (current || 1) * CN_UNITS[char]!;
      current = 0;
      previousWasUnit = true;
    }
  }
  return total + section + current;
}

export interface StatedArea {
  /** The text as written, e.g. 约十几亩. */
  text: string;
  /** Lower bound in 亩. */
  mu: number;
}

/**
 * Units of land area and their size in 亩 (configuration). Matched after NFKC normalization, so ㎡
 * arrives as m2 and hm² as hm2.
 */
export const DEFAULT_AREA_UNITS: Readonly<Record<string, number>> = {
  亩: 1,
  平方米: 1 / SQUARE_METRES_PER_MU,
  平米: 1 / SQUARE_METRES_PER_MU,
  平方: 1 / SQUARE_METRES_PER_MU,
  m2: 1 / SQUARE_METRES_PER_MU,
  公顷: MU_PER_HECTARE,
  hm2: MU_PER_HECTARE,
  平方公里: 100 * MU_PER_HECTARE,
  平方千米: 100 * MU_PER_HECTARE,
  km2: 100 * MU_PER_HECTARE,
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
interface AreaMatcher {
  pattern: RegExp;
  lowerUnits: Record<string, number>;
}
const areaMatchers = new WeakMap<Readonly<Record<string, number>>, AreaMatcher>();

/** The pattern for a table of units and the table keyed in lower case, built once per table. */
function areaMatcher(units: Readonly<Record<string, number>>): AreaMatcher {
  let matcher = areaMatchers.get(units);
  if (!matcher) {
    // Longest unit first: 平方米 before 平方, km2 before m2.
    const alternatives = Object.keys(units)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    matcher = {
      // Global and shared: only ever used through matchAll, which works on its own copy.
      pattern: new RegExp(
        `(\\d+(?:\\.\\d+)?[十百千万]?|[零〇一二两三四五六七八九十百千万几半]+)(多|余|来)?(${alternatives})(半)?`,
        'gi',
      ),
      lowerUnits: Object.fromEntries(Object.entries(units).map(([unit, mu]) => [unit.toLowerCase(), mu])),
    };
    areaMatchers.set(units, matcher);
  }
  return matcher;
}

/**
 * Every land area stated in the text, converted to 亩 (lower bounds; see parseChineseNumber):
 * 八亩, 十二亩地, 1.5亩, 一亩半, 一亩多, 约十几亩, 3000平方米, 3,000㎡, 3.5万平方米, 2公顷, 0.5公顷 …
 */
export function statedAreas(
  text: string,
  units: Readonly<Record<string, number>> = DEFAULT_AREA_UNITS,
): StatedArea[] {
  const normalized = text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    // Thousands separators: 3,000平方米 is three thousand, not zero.
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  const areas: StatedArea[] = [];
  const { pattern, lowerUnits } = areaMatcher(units);
  for (const match of normalized.matchAll(pattern)) {
    const value = parseChineseNumber(match[1]!);
    if (value === null) continue;
    const perUnit = lowerUnits[match[3]!.toLowerCase()];
    if (perUnit === undefined) continue;
    let mu = value * perUnit;
    if (match[4] === '半') mu += 0.5 * perUnit;
    areas.push({ text: match[0], mu: Math.round(mu * 100) / 100 });
  }
  return areas;
}

// ---------------------------------------------------------------------------------------------
// Severity

export interface SeverityRules {
  /** Words that make a tip major on their own (重大、突发 …). */
  majorKeywords: readonly string[];
  /** Words that mark the land as basic farmland, which lowers the area threshold. */
  basicFarmlandKeywords: readonly string[];
  basicFarmlandThresholdMu: number;
  otherLandThresholdMu: number;
  /** Units of area the text may use, in 亩 each. */
  areaUnits: Readonly<Record<string, number>>;
}

export const DEFAULT_SEVERITY_RULES: SeverityRules = {
  majorKeywords: [
    '重大',
    '突发',
    '群体',
    '暴力',
    '聚众',
    '械斗',
    '持械',
    '围攻',
    '流血',
    '伤亡',
    '死亡',
    '大规模',
  ],
  basicFarmlandKeywords: ['基本农田'],
  basicFarmlandThresholdMu: 5,
  otherLandThresholdMu: 10,
  areaUnits: DEFAULT_AREA_UNITS,
};

/** A stated area as people read it: the Latin unit forms NFKC gives (m2, hm2, km2) in Chinese. */
const chineseUnits = (text: string): string =>
  text.replace(/km2/gi, '平方公里').replace(/hm2/gi, '公顷').replace(/m2/gi, '平方米');

/** Everything the text rules read: title and description (never the reporter). */
export const tipText = (tip: { title?: string; description: string }): string =>
  [tip.title, tip.description].filter(Boolean).join('\n');

export interface SeverityAssessment {
  severity: Severity;
  /** Why, in Chinese (contract 11); empty for a normal case. */
  reasons: string[];
}

/**
 * `major` when the source says urgent, when the text uses a major keyword, or when it states an area
 * of at least 5 亩 and mentions basic farmland, or at least 10 亩 in any case. A text that mentions
 * 基本农田 anywhere gets the lower threshold for every area it states: which number belongs to which
 * land is rarely clear, and erring towards major only speeds the response.
 */
export function assessSeverity(
  tip: { urgency?: 'normal' | 'urgent'; title?: string; description: string },
  rules: SeverityRules = DEFAULT_SEVERITY_RULES,
): SeverityAssessment {
  const reasons: string[] = [];
  if (tip.urgency === 'urgent') reasons.push('来源标注为紧急');
  const text = tipText(tip);
  const keywords = rules.majorKeywords.filter((keyword) => text.includes(keyword));
  if (keywords.length > 0)
    reasons.push(`举报内容提及${keywords.map((keyword) => `"${keyword}"`).join('、')}`);
  const farmland = rules.basicFarmlandKeywords.some((keyword) => text.includes(keyword));
  const threshold = farmland ? rules.basicFarmlandThresholdMu : rules.otherLandThresholdMu;
  const large = statedAreas(text, rules.areaUnits).filter((area) => area.mu >= threshold);
  if (large.length > 0) {
    const land = farmland ? '基本农田' : '其他土地';
    const stated = large.map((area) =>
      area.text.includes('亩') ? area.text : `${chineseUnits(area.text)}（合${area.mu}亩）`,
    );
    reasons.push(`举报所述面积${stated.join('、')}，达到${land}${threshold}亩的标准`);
  }
  return { severity: reasons.length > 0 ? 'major' : 'normal', reasons };
}

// ---------------------------------------------------------------------------------------------
// Partner departments

export interface PartnerRule {
  partners: readonly PartnerDepartment[];
  /** Shown in the case, in Chinese, e.g. "涉及在土地上建设". */
  reason: string;
  keywords: readonly string[];
}

export interface PartnerRules {
  rules: readonly PartnerRule[];
  /** Departments that join every major case. */
  majorCase: readonly PartnerDepartment[];
}

export const DEFAULT_PARTNER_RULES: PartnerRules = {
  rules: [
    {
      partners: ['planning', 'urban_management'],
      reason: '涉及在土地上建设',
      keywords: [
        '建房',
        '盖房',
        '建楼',
        '楼房',
        '厂房',
        '搭建',
        '违建',
        '违章建筑',
        '违法建设',
        '违法建筑',
        '地基',
        '彩钢棚',
        '钢棚',
        '钢结构',
        '大棚房',
        '浇筑',
        '打桩',
        '建筑物',
        '房屋',
        '加盖',
        '扩建',
      ],
    },
    {
      partners: ['housing'],
      reason: '涉及房屋销售或开发',
      keywords: ['小产权', '开发商', '楼盘', '商品房', '售楼', '卖房', '房地产', '别墅', '预售', '认购'],
    },
    {
      partners: ['police'],
      reason: '涉及暴力、威胁或阻挠执法',
      keywords: [
        '暴力',
        '阻挠',
        '殴打',
        '威胁',
        '恐吓',
        '打人',
        '伤人',
        '械斗',
        '围攻',
        '持械',
        '抗法',
        '报复',
      ],
    },
    {
      partners: ['police'],
      reason: '涉及非法采矿或盗取土方',
      keywords: [
        '盗采',
        '非法采砂',
        '采砂',
        '盗挖',
        '偷挖',
        '私挖',
        '盗土',
        '偷土',
        '非法取土',
        '盗运',
        '非法开采',
      ],
    },
  ],
  majorCase: ['police'],
};

export interface PartnerChoice {
  partners: PartnerDepartment[];
  reasons: Partial<Record<PartnerDepartment, string>>;
}

/** The partner departments a case is shared with, each with the reason (the words that matched). */
export function choosePartners(
  tip: { title?: string; description: string },
  severity: Severity,
  config: PartnerRules = DEFAULT_PARTNER_RULES,
): PartnerChoice {
  const text = tipText(tip);
  const reasons: Partial<Record<PartnerDepartment, string[]>> = {};
  const note = (partner: PartnerDepartment, reason: string) => {
    const list = reasons[partner] ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons[partner] = list;
  };
  for (const rule of config.rules) {
    const hits = rule.keywords.filter((keyword) => text.includes(keyword));
    if (hits.length === 0) continue;
    for (const partner of rule.partners) note(partner, `${rule.reason}（${hits.join('、')}）`);
  }
  if (severity === 'major') for (const partner of config.majorCase) note(partner, '重大案件');
  const order: readonly PartnerDepartment[] = ['planning', 'urban_management', 'housing', 'police'];
  const partners = order.filter((partner) => reasons[partner]);
  return {
    partners,
    reasons: Object.fromEntries(partners.map((partner) => [partner, reasons[partner]!.join('；')])),
  };
}

// ---------------------------------------------------------------------------------------------
// Violation type

export interface ViolationRule {
  type: ViolationType;
  /** Every pattern must match. */
  all: readonly RegExp[];
}

/** Checked in order; the first rule whose patterns all match wins. */
export const DEFAULT_VIOLATION_RULES: readonly ViolationRule[] = [
  { type: 'farmland_destruction', all: [/基本农田/, /破坏|毁|挖/] },
  { type: 'illegal_occupation', all: [/占用|占地|建房|厂房/] },
  {
    type: 'illegal_transfer',
    all: [/(买卖|转让|出租|出售|倒卖).{0,6}土地|土地.{0,6}(买卖|转让|出租|出售|倒卖)/],
  },
  { type: 'illegal_approval', all: [/批准/] },
  { type: 'plan_violation', all: [/规划/] },
  { type: 'farmer_rights', all: [/农民|补偿/] },
  { type: 'state_asset_loss', all: [/国有土地/] },
];

export function inferViolationType(
  text: string,
  rules: readonly ViolationRule[] = DEFAULT_VIOLATION_RULES,
): ViolationType {
  return rules.find((rule) => rule.all.every((pattern) => pattern.test(text)))?.type ?? 'other';
}

/** The source's stated type wins over inference; `other` stated by a source is kept as stated. */
export function resolveViolationType(
  stated: ViolationType | undefined,
  text: string,
  rules: readonly ViolationRule[] = DEFAULT_VIOLATION_RULES,
): { violationType: ViolationType; inferred: boolean } {
  if (stated) return { violationType: stated, inferred: false };
  return { violationType: inferViolationType(text, rules), inferred: true };
}
