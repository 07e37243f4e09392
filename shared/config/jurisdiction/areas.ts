/**
 * The patrol areas and districts of 常熟市 land enforcement and the hand-kept naming rules around
 * the statistical data (data/*.tsv). Sources and confidence notes: data/SOURCES.md.
 */
import type {
  AmbiguousName,
  AreaDefinition,
  DistrictDefinition,
  OutsidePlace,
  PlaceConfidence,
} from '../../domain/jurisdiction.js';
import type { AreaId, DistrictId } from '../../domain/model.js';
import { NEIGHBOURS } from './generated.js';
import { neighbourPlaces } from './neighbours.js';

export const DISTRICTS: readonly DistrictDefinition[] = [
  { id: 'district-1', name: '第一片区' },
  { id: 'district-2', name: '第二片区' },
  { id: 'district-3', name: '第三片区' },
  { id: 'district-4', name: '第四片区' },
  { id: 'district-5', name: '第五片区' },
];

export const AREAS: readonly AreaDefinition[] = [
  { id: 'guli', name: '古里镇', district: 'district-1', aliases: ['古里镇', '古里'] },
  { id: 'shajiabang', name: '沙家浜镇', district: 'district-1', aliases: ['沙家浜镇', '沙家浜'] },
  {
    id: 'dongnan',
    name: '东南开发区',
    district: 'district-1',
    aliases: ['东南开发区', '东南街道', '东南街道办事处', '东南经济开发区', '常熟东南经济开发区'],
  },
  // Bare 尚湖 is deliberately not an alias: see AMBIGUOUS_NAMES.
  { id: 'shanghu', name: '尚湖镇', district: 'district-2', aliases: ['尚湖镇'] },
  { id: 'xinzhuang', name: '辛庄镇', district: 'district-2', aliases: ['辛庄镇', '辛庄'] },
  { id: 'zhitang', name: '支塘镇', district: 'district-3', aliases: ['支塘镇', '支塘'] },
  { id: 'dongbang', name: '董浜镇', district: 'district-3', aliases: ['董浜镇', '董浜'] },
  { id: 'meili', name: '梅李镇', district: 'district-3', aliases: ['梅李镇', '梅李'] },
  {
    id: 'yushan',
    name: '虞山镇',
    district: 'district-4',
    aliases: ['虞山镇', '虞山街道', '常福街道', '琴川街道', '莫城街道'],
  },
  {
    id: 'resort',
    name: '虞山尚湖旅游度假区',
    district: 'district-4',
    aliases: [
      '虞山尚湖旅游度假区',
      '常熟虞山尚湖旅游度假区',
      '虞山尚湖度假区',
      '尚湖度假区',
      '尚湖旅游度假区',
      '度假区',
      // The scenic area on the lake is the core of the resort (the town 尚湖镇 lies west of the lake).
      '尚湖风景区',
      '尚湖景区',
      '尚湖风景名胜区',
    ],
    within: '虞山街道',
  },
  {
    id: 'bixi',
    name: '碧溪新区',
    district: 'district-5',
    aliases: [
      '碧溪新区',
      '碧溪街道',
      '碧溪街道办事处',
      '经济开发区',
      '经济技术开发区',
      '常熟经济技术开发区',
      '常熟经济开发区',
      '经开区',
    ],
  },
  { id: 'haiyu', name: '海虞镇', district: 'district-5', aliases: ['海虞镇', '海虞'] },
];

/**
 * Statistical town-level units (code suffix of 320581xxx) and the area each maps to, per the data
 * README's mapping table. `null`: in Changshu, patrol area not known; such tips go to triage.
 */
export interface UnitMapping {
  area: AreaId | null;
  district: DistrictId | null;
  confidence: PlaceConfidence;
}

const unit = (
  area: AreaId | null,
  district: DistrictId | null,
  confidence: PlaceConfidence,
): UnitMapping => ({
  area,
  district,
  confidence,
});

export const UNIT_MAPPING: Readonly<Record<string, UnitMapping>> = {
  // 2020 layout
  '001': unit('yushan', 'district-4', 'high'),
  '002': unit('yushan', 'district-4', 'high'),
  '003': unit('yushan', 'district-4', 'high'),
  '004': unit('yushan', 'district-4', 'high'),
  '005': unit('bixi', 'district-5', 'high'),
  '006': unit('dongnan', 'district-1', 'medium'),
  '101': unit('meili', 'district-3', 'high'),
  '102': unit('haiyu', 'district-5', 'high'),
  '104': unit('guli', 'district-1', 'high'),
  '105': unit('shajiabang', 'district-1', 'high'),
  '106': unit('zhitang', 'district-3', 'high'),
  '107': unit('dongbang', 'district-3', 'high'),
  '110': unit('xinzhuang', 'district-2', 'high'),
  '111': unit('shanghu', 'district-2', 'high'),
  '401': unit('bixi', 'district-5', 'medium'),
  '402': unit(null, null, 'high'),
  '406': unit(null, null, 'high'),
  '407': unit(null, null, 'high'),
  // 2017-only units
  '100': unit('yushan', 'district-4', 'high'),
  '400': unit(null, 'district-4', 'high'),
  '403': unit('resort', 'district-4', 'high'),
  '404': unit('yushan', 'district-4', 'high'),
  '405': unit('bixi', 'district-5', 'high'),
  '408': unit('dongnan', 'district-1', 'medium'),
};

/** The 2020 unit that took over each 2017-only unit (for containment: 度假区 villages lie in 虞山街道). */
export const UNIT_SUCCESSOR_2017: Readonly<Record<string, string>> = {
  '100': '虞山街道',
  '400': '虞山街道',
  '403': '虞山街道',
  '405': '碧溪街道',
  '408': '东南街道',
};

/** The 2020 unit code whose villages are split between yushan and resort by the 2017 list. */
export const RESORT_SPLIT_UNIT = '001';
export const RESORT_UNIT_2017 = '403';
export const FOREST_UNIT_2017 = '400';

/** Extra names for units, beyond the statistical names. */
export const EXTRA_UNIT_NAMES: readonly {
  name: string;
  code: string;
  kind: 'street' | 'former_town';
  confidence: PlaceConfidence;
}[] = [
  { name: '虞山林场', code: '400', kind: 'former_town', confidence: 'high' },
  { name: '常熟高新区', code: '402', kind: 'street', confidence: 'high' },
  { name: '高新区', code: '402', kind: 'street', confidence: 'medium' },
  { name: '高新技术产业开发区', code: '402', kind: 'street', confidence: 'high' },
  { name: '昆承湖管委会', code: '406', kind: 'street', confidence: 'high' },
  { name: '昆承湖管理委员会', code: '406', kind: 'street', confidence: 'high' },
  { name: '大学科技园', code: '407', kind: 'street', confidence: 'medium' },
  { name: '国家大学科技园', code: '407', kind: 'street', confidence: 'high' },
  { name: '服装城', code: '404', kind: 'former_town', confidence: 'medium' },
  { name: '常熟服装城', code: '404', kind: 'former_town', confidence: 'medium' },
  { name: '虞山国家森林公园', code: '400', kind: 'former_town', confidence: 'medium' },
  { name: '虞山森林公园', code: '400', kind: 'former_town', confidence: 'medium' },
  { name: '服装城管委会', code: '404', kind: 'former_town', confidence: 'medium' },
];

export const AMBIGUOUS_NAMES: readonly AmbiguousName[] = [
  { name: '尚湖', areas: ['shanghu', 'resort'], note: 'a lake, the resort around it and a town at once' },
  { name: '虞山', areas: ['yushan', 'resort'], note: 'the hill lies across 虞山街道 and the resort' },
  { name: '昆承湖', areas: ['shajiabang', null], note: 'a lake, a 沙家浜 village and the 昆承湖管委会' },
];

/**
 * Short village names (suffix dropped) that are also everyday words or names of places elsewhere;
 * only their suffixed forms (光明村, 新建村 …) count. Without this, 新建彩钢棚 would route to 新建村.
 */
export const COMMON_WORD_SHORT_NAMES: readonly string[] = [
  '学前 报本 烟雨 五星 兴福 星海 南门 湖中 华山 南沙 枫林 山前 梅园',
  '福泰 嵩山 元和 建华 丁坝 绿地 景泰 碧海 珠海 新义 联盟 合丰 顶山',
  '光明 永红 小山 五新 压路机 东联 迎春 荷花 环湖 青龙 衡山 兴隆 泰山',
  '世茂 金山 富阳 珠江 润欣 百盛 锦丰 星茂 凯文 金桂 九里 泰安 东环',
  '新造 安定 三和 三星 新建 青莲 山湖 滨江 中南 白莲 横塘 留下 小市',
  '李村 万福 三湾 新苑 龙桥 湖畔 东湖 启文 小康 天字 新丰 海城 南塘',
  '河口 七峰 聚福 新州 双港 金湖 红豆 湖东 新桥 紫霞 红石 苏南 华阳',
  '新湖 长桥 阳桥 丰联 新民 永安 天星 北港 黄石 桃园 东旺 福寿 东桥',
  '张村 大河 新和 新巷 常兴 吉桥 湖庄 常南 合泰 华欣 双浜 杨中 新鑫',
  '山鑫 家鑫 新裕 明晶 勤丰 翻身 新红 小义 蜂蚁 绿源 花溪 湖苑 虞园',
  '锦荷 胜湖 衡泰 虞枫 琴湖 琴南 和莫 聆湖',
]
  .join(' ')
  .split(' ');

/** Spellings that vary between sources (data README): each variant is added next to the name. */
export const VARIANT_SPELLINGS: readonly (readonly [canonical: string, variant: string])[] = [
  ['坞丘', '坞坵'],
  ['苏锋', '苏峰'],
];

/**
 * Places outside Changshu that callers name; tips there are triaged. `XX市` and `XX省` at the head of
 * an address are caught by rule in the router. Three parts: the cities, districts and provinces
 * around (hand-kept), every town, subdistrict and zone of the county-level units that border 常熟
 * (data/neighbours.tsv, the 2020 division codes), and the other names callers use for those towns
 * (hand-kept below). No generic zone word is ever one of them: 工业园区 alone is any town's, only
 * 苏州工业园区 is outside.
 */
const CITIES_AND_COUNTIES: readonly OutsidePlace[] = [
  '苏州市区 苏州市工业园区 苏州园区 苏州高新区 苏州市高新区 苏州新区 姑苏区 姑苏 虎丘区',
  '吴中区 吴中 相城区 相城 吴江区 吴江 张家港市 张家港 太仓市 太仓 昆山市 昆山',
  '无锡市 无锡 江阴市 江阴 宜兴 锡山 惠山区 滨湖区 梁溪区 新吴区',
  '上海市 上海 南通市 南通 启东 海门 如皋 常州 南京 杭州 嘉兴 湖州 浙江省 安徽省 山东省',
]
  .join(' ')
  .split(' ')
  .map((name) => ({ name, source: 'areas.ts' }));

/**
 * The neighbours' towns as callers say them, beyond their official names in neighbours.tsv: bare
 * names without 镇/街道, towns merged away, and the usual names of zones. Only names no place in
 * 常熟市 shares (a unit test holds this); where one does (塘桥村 in 梅李, 新桥村 in 古里, 锦丰社区 and
 * 漕湖社区 in 琴川), only the form with 镇/街道 is outside, and the longer name wins. Zones whose usual
 * name ends in 度假区 are listed in full, or 度假区 alone would read as the resort.
 */
const NEIGHBOUR_ALIASES: readonly OutsidePlace[] = [
  '张家港市: 杨舍 鹿苑 妙桥 后塍 西张 塘市街道 港区镇 双山岛',
  '太仓市: 璜泾 娄东 陆渡 新湖镇 太仓港',
  '昆山市: 巴城 千灯 淀山湖 锦溪 张浦',
  '苏州市相城区: 渭塘 黄埭 望亭 北河泾 澄阳 阳澄湖度假区 阳澄湖旅游度假区',
  '无锡市锡山区: 羊尖 锡北 厚桥 安镇 东北塘',
  '无锡市江阴市: 华士 祝塘 长泾 顾山 徐霞客 云亭 申港 利港 夏港 璜土 靖江工业园区',
  '苏州市吴中区: 太湖度假区 太湖旅游度假区 太湖国家旅游度假区',
  '南通市: 通州 海安 如东',
].flatMap((line) => {
  const [county, names] = line.split(': ') as [string, string];
  return names.split(' ').map((name) => ({ name, note: `${county}的地名`, source: 'areas.ts' }));
});

export const OUTSIDE_PLACES: readonly OutsidePlace[] = [
  ...CITIES_AND_COUNTIES,
  ...neighbourPlaces(NEIGHBOURS),
  ...NEIGHBOUR_ALIASES,
];

/** Stripped from the head of every field before matching: they say "in Changshu", nothing more. */
export const PREFIXES: readonly string[] = ['江苏省', '江苏', '苏州市', '苏州', '常熟市', '常熟'];
