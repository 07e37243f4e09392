import { describe, expect, it } from 'vitest';
import { NEIGHBOURS } from '../../shared/config/jurisdiction/generated.js';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import type { AreaId, DistrictId, TipLocation } from '../../shared/domain/model.js';
import { normalizePlaceText, type RoutingMethod, routeTip } from '../../shared/domain/routing.js';
import { expectNoLatinWords } from '../support/chinese-text.js';

const jurisdiction = getJurisdiction();
const route = (location: TipLocation, text = '') => routeTip({ location, text }, jurisdiction);

interface Case {
  name: string;
  location: TipLocation;
  text?: string;
  area: AreaId | null;
  method: RoutingMethod;
  matched?: string | null;
  district?: DistrictId | null;
}

const cases: Case[] = [
  // The contract's own examples.
  {
    name: '12336: town field and address',
    location: { address: '常熟市沙家浜镇唐市社区北侧', town: '沙家浜镇' },
    text: '有人在基本农田上建厂房，已经开始打地基',
    area: 'shajiabang',
    method: 'town_field',
    matched: '沙家浜镇',
  },
  {
    name: '12345: region and address',
    location: { address: '海虞镇福山村七组', region: '常熟市海虞镇' },
    text: '海虞镇福山村七组有人在承包地上建两层楼房',
    area: 'haiyu',
    method: 'town_field',
  },
  {
    name: 'city-management: street and community fields',
    location: {
      address: '碧溪街道李袁村',
      street: '碧溪街道',
      community: '李袁村',
      gridCode: '3205810050201',
    },
    text: '农田内新建彩钢棚约300平方米',
    area: 'bixi',
    method: 'street_field',
    matched: '碧溪街道',
  },
  {
    name: 'address only: town + community',
    location: { address: '沙家浜镇唐市社区' },
    area: 'shajiabang',
    method: 'address_town',
  },
  {
    name: 'address only: town + village group',
    location: { address: '海虞镇福山村七组' },
    area: 'haiyu',
    method: 'address_town',
  },
  {
    name: 'address only: street + village',
    location: { address: '碧溪街道李袁村' },
    area: 'bixi',
    method: 'address_town',
  },
  {
    name: 'former town with 镇',
    location: { address: '唐市镇上往东' },
    area: 'shajiabang',
    method: 'former_town',
    matched: '唐市镇',
  },
  {
    name: 'former town, bare',
    location: { address: '淼泉老街南面' },
    area: 'guli',
    method: 'former_town',
    matched: '淼泉',
  },
  {
    name: 'resort by its short alias',
    location: { address: '度假区那边' },
    area: 'resort',
    method: 'address_town',
  },
  {
    name: 'resort by its full name',
    location: { address: '常熟虞山尚湖旅游度假区内' },
    area: 'resort',
    method: 'address_town',
  },
  {
    name: '虞山林场: district known, area not',
    location: { address: '虞山林场' },
    area: null,
    method: 'former_town',
    district: 'district-4',
  },
  {
    name: '张家港市',
    location: { address: '张家港市塘桥镇' },
    area: null,
    method: 'outside_city',
    matched: '张家港市',
  },
  { name: '太仓', location: { address: '太仓市浮桥镇' }, area: null, method: 'outside_city' },
  { name: '昆山', location: { address: '昆山市周市镇' }, area: null, method: 'outside_city' },
  { name: '吴江', location: { address: '吴江区七都镇' }, area: null, method: 'outside_city' },
  { name: '相城', location: { address: '相城区渭塘镇' }, area: null, method: 'outside_city' },
  { name: '苏州市区', location: { address: '苏州市区某小区' }, area: null, method: 'outside_city' },
  { name: '无锡', location: { address: '无锡市锡山区' }, area: null, method: 'outside_city' },
  { name: '江阴', location: { address: '江阴市华士镇' }, area: null, method: 'outside_city' },
  { name: '上海', location: { address: '上海市嘉定区' }, area: null, method: 'outside_city' },
  {
    name: 'another city by rule (宿迁市)',
    location: { address: '宿迁市沭阳县某村' },
    area: null,
    method: 'outside_city',
  },
  {
    name: 'another province by rule',
    location: { address: '河南省周口市' },
    area: null,
    method: 'outside_city',
  },
  {
    name: 'outside wins over a same-named village (塘桥 is a 梅李 village)',
    location: { region: '张家港市', address: '塘桥镇' },
    area: null,
    method: 'outside_city',
  },
  {
    name: 'prefix 江苏省苏州市常熟市 stripped',
    location: { address: '江苏省苏州市常熟市古里镇紫芙社区' },
    area: 'guli',
    method: 'address_town',
  },
  {
    name: 'full-width and spaces',
    location: { address: '常熟市　董浜镇 　徐市社区' },
    area: 'dongbang',
    method: 'address_town',
  },
  { name: 'town field only', location: { town: '支塘镇' }, area: 'zhitang', method: 'town_field' },
  { name: 'town field without 镇', location: { town: '梅李' }, area: 'meili', method: 'town_field' },
  { name: 'street field 常福街道', location: { street: '常福街道' }, area: 'yushan', method: 'street_field' },
  {
    name: 'street field 东南街道',
    location: { street: '东南街道', community: '苏锋村' },
    area: 'dongnan',
    method: 'street_field',
  },
  {
    name: 'community field only',
    location: { community: '李袁村' },
    area: 'bixi',
    method: 'community_field',
  },
  {
    name: 'community field beats a town in the text',
    location: { community: '福山村' },
    text: '古里镇有人来',
    area: 'haiyu',
    method: 'community_field',
  },
  {
    name: 'village in 虞山街道 refines the street to the resort',
    location: { address: '虞山街道山前社区' },
    area: 'resort',
    method: 'village',
    matched: '山前社区',
  },
  {
    name: 'street field + resort village in the community field',
    location: { street: '虞山街道', community: '宝岩村' },
    area: 'resort',
    method: 'community_field',
  },
  {
    name: '虞山街道 + 虞山林场 unit: triage in district-4',
    location: { street: '虞山街道', community: '虞山林场兴福管理社区' },
    area: null,
    method: 'community_field',
    district: 'district-4',
  },
  {
    name: 'ordinary 虞山街道 community stays yushan',
    location: { address: '虞山街道花园浜社区' },
    area: 'yushan',
    method: 'address_town',
  },
  { name: '虞山林场 is not 虞山', location: { address: '虞山林场东侧' }, area: null, method: 'former_town' },
  {
    name: 'former town in the description',
    location: {},
    text: '王市那边有人挖塘',
    area: 'haiyu',
    method: 'former_town',
  },
  {
    name: 'village with suffix in the description',
    location: {},
    text: '蒋巷村有人建房',
    area: 'zhitang',
    method: 'village',
  },
  {
    name: 'village short name in the address',
    location: { address: '李袁七组' },
    area: 'bixi',
    method: 'village',
  },
  {
    name: 'longer village name wins (蒋巷镇村 in 尚湖)',
    location: { address: '蒋巷镇村三组' },
    area: 'shanghu',
    method: 'village',
  },
  { name: 'spelling variant 坞坵', location: { address: '坞坵村' }, area: 'guli', method: 'village' },
  {
    name: 'development zone alias',
    location: { address: '经济开发区沿江' },
    area: 'bixi',
    method: 'address_town',
  },
  { name: '东南开发区', location: { address: '东南开发区银河路' }, area: 'dongnan', method: 'address_town' },
  {
    name: '高新区: in the city, no patrol area',
    location: { address: '常熟高新区' },
    area: null,
    method: 'address_town',
    district: null,
  },
  { name: '大学科技园', location: { address: '国家大学科技园' }, area: null, method: 'address_town' },
  {
    name: 'two towns at the same level: conflict',
    location: { address: '古里镇和沙家浜镇交界处' },
    area: null,
    method: 'conflict',
  },
  {
    name: 'two town fields disagree',
    location: { town: '辛庄镇', region: '常熟市尚湖镇' },
    area: null,
    method: 'conflict',
  },
  { name: 'bare 尚湖 is ambiguous', location: { address: '尚湖边上' }, area: null, method: 'conflict' },
  {
    name: 'bare 尚湖 resolved by a weaker former town',
    location: { address: '尚湖王庄那边' },
    area: 'shanghu',
    method: 'address_town',
  },
  {
    name: 'bare 虞山 ambiguous but district known',
    location: { address: '虞山脚下' },
    area: null,
    method: 'conflict',
    district: 'district-4',
  },
  {
    name: '尚湖镇 is not ambiguous',
    location: { address: '尚湖镇冶塘社区' },
    area: 'shanghu',
    method: 'address_town',
  },
  {
    name: 'a common word is not a village (新建)',
    location: {},
    text: '农田内新建彩钢棚',
    area: null,
    method: 'none',
  },
  { name: 'nothing at all', location: {}, text: '有人占地', area: null, method: 'none' },
  {
    name: 'coordinates alone are not enough',
    location: { point: { lng: 120.8, lat: 31.6, crs: 'wgs84' } },
    area: null,
    method: 'none',
  },
  {
    name: 'an outside place named as a landmark does not decide',
    location: { address: '沙家浜镇，靠近昆山' },
    area: 'shajiabang',
    method: 'address_town',
  },
  {
    name: 'field beats address',
    location: { town: '董浜镇', address: '支塘镇何市社区附近' },
    area: 'dongbang',
    method: 'town_field',
  },
  {
    name: 'address beats description',
    location: { address: '辛庄镇张桥社区' },
    text: '举报人住在梅李镇',
    area: 'xinzhuang',
    method: 'address_town',
  },
  {
    name: '吴市市镇社区 is not a city',
    location: { address: '吴市市镇社区' },
    area: 'bixi',
    method: 'village',
  },
  {
    name: '支塘市镇 is not a city',
    location: { address: '支塘市镇社区东' },
    area: 'zhitang',
    method: 'village',
  },
];

describe('routeTip', () => {
  it.each(cases)('$name', ({ location, text, area, method, matched, district }) => {
    const decision = route(location, text);
    expect(decision.area, decision.explanation).toBe(area);
    expect(decision.method, decision.explanation).toBe(method);
    if (matched !== undefined) expect(decision.matched).toBe(matched);
    if (district !== undefined) expect(decision.district).toBe(district);
    if (area) expect(decision.district).toBe(jurisdiction.areas.find((a) => a.id === area)!.district);
    expect(decision.confidence).toBeGreaterThanOrEqual(0);
    expect(decision.confidence).toBeLessThanOrEqual(1);
    expect(decision.explanation).toMatch(/^(依据|转监察大队研判：)/);
    expectNoLatinWords(decision.explanation, 'explanation');
  });

  it('has at least 40 realistic cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it('explains in Chinese, naming the bureau and its district, never the codes', () => {
    const decision = route({ address: '常熟市沙家浜镇唐市社区北侧', town: '沙家浜镇' });
    expect(decision.explanation).toBe(
      '依据所属镇字段中的"沙家浜镇"分派至沙家浜镇国土分局（第一片区）；唐市社区与此相符。',
    );
    expect(decision.matchedNames).toEqual(['沙家浜镇', '唐市社区']);
  });

  it('gains confidence when mentions agree and loses it when a weaker one disagrees', () => {
    const alone = route({ address: '海虞镇' }).confidence;
    const agreed = route({ address: '海虞镇福山村' }).confidence;
    const disputed = route({ address: '海虞镇李袁村' });
    expect(agreed).toBeGreaterThan(alone);
    expect(disputed.area).toBe('haiyu');
    expect(disputed.confidence).toBeLessThan(alone);
    expect(disputed.explanation).toContain('李袁村指向别处');
  });

  it('trusts a town name more than a bare village name', () => {
    expect(route({ address: '沙家浜镇' }).confidence).toBeGreaterThan(
      route({ address: '李袁七组' }).confidence,
    );
  });

  it('explains a conflict by naming both sides', () => {
    const decision = route({ address: '古里镇和沙家浜镇交界处' });
    expect(decision.explanation).toBe(
      '转监察大队研判：同等依据的地名互相矛盾：地址中的"古里镇"指向古里镇；地址中的"沙家浜镇"指向沙家浜镇。',
    );
    expect(decision.confidence).toBe(0);
  });

  it('never routes an outside place to the nearest area', () => {
    const decision = route({ address: '张家港市塘桥镇' });
    expect(decision.explanation).toBe('转监察大队研判：地址中的"张家港市"位于常熟市以外，系统不就近分派。');
    expect(decision.matchedNames).toContain('塘桥镇');
  });

  it('reads a 2017 虞山镇 village of the 度假区 as the resort', () => {
    expect(route({ address: '虞山镇宝岩村' })).toMatchObject({ area: 'resort', method: 'village' });
  });

  it('knows the neighbouring towns that share no name with the city', () => {
    expect(route({ address: '塘桥镇' })).toMatchObject({ area: null, method: 'outside_city' });
    expect(route({ address: '梅李镇塘桥村' }).area).toBe('meili');
    expect(route({ address: '新桥镇' }).method).toBe('outside_city');
    expect(route({ address: '新桥村' }).area).toBe('guli');
  });

  it('takes an outside place named as origin or as a person for a landmark', () => {
    expect(route({ address: '从张家港运来的土倒在梅李镇赵市村' }).area).toBe('meili');
    expect(route({ address: '昆山人在沙家浜镇唐北村挖塘' }).area).toBe('shajiabang');
  });

  it('does not read 市场 at the head of an address as a city', () => {
    expect(route({ address: '城南市场旁边梅李镇' }).area).toBe('meili');
    expect(route({ address: '城南市场旁边' }).method).toBe('none');
  });
});

describe('generic zone words (工业园区, 开发区, 经济开发区, 高新区 …)', () => {
  it('never decide against the town an address names', () => {
    expect(route({ address: '常熟市梅李镇通港工业园区通港路8号' })).toMatchObject({
      area: 'meili',
      method: 'address_town',
      matched: '梅李镇',
    });
    expect(route({ address: '江苏省常熟市董浜镇经济开发区某路18号' })).toMatchObject({
      area: 'dongbang',
      matched: '董浜镇',
    });
    expect(route({ address: '常熟市海虞镇高新区某号' })).toMatchObject({ area: 'haiyu', matched: '海虞镇' });
    expect(route({ address: '常熟市辛庄镇开发区某路' }).area).toBe('xinzhuang');
  });

  it('never put a tip outside the city: 工业园区 alone is not 苏州工业园区', () => {
    expect(route({ address: '工业园区里面' })).toMatchObject({ area: null, method: 'none' });
    expect(route({ address: '苏州工业园区星湖街某号' })).toMatchObject({
      method: 'outside_city',
      matched: '苏州工业园区',
    });
    expect(route({ address: '江苏省苏州市工业园区某路' }).method).toBe('outside_city');
  });

  it('count for a neighbour only in a form that names it (昆山开发区, not 开发区)', () => {
    const kunshan = route({ address: '昆山开发区珠江社区' });
    expect(kunshan).toMatchObject({ area: null, method: 'outside_city', matched: '昆山开发区' });
    expect(kunshan.explanation).toContain('昆山市');
    expect(route({ address: '太仓经济开发区某路' })).toMatchObject({ method: 'outside_city' });
    expect(route({ address: '琴川街道珠江社区' }).area).toBe('yushan');
  });

  it('are set aside even where the jurisdiction lists one as an outside place', () => {
    const careless = { ...jurisdiction, outside: [...jurisdiction.outside, { name: '开发区' }] };
    const decision = routeTip({ location: { address: '常熟市梅李镇开发区某路' }, text: '' }, careless);
    expect(decision).toMatchObject({ area: 'meili', matched: '梅李镇' });
  });

  it('still name the zone of 常熟 when nothing else is said, with less confidence', () => {
    const generic = route({ address: '经济开发区沿江' });
    expect(generic).toMatchObject({ area: 'bixi', method: 'address_town' });
    expect(generic.confidence).toBeLessThan(route({ address: '碧溪新区沿江' }).confidence);
  });
});

describe('towns of the neighbouring cities', () => {
  const countyOf = (row: readonly string[]) => row[0]!.split(' ')[1]!;

  it('knows every town, subdistrict and zone of neighbours.tsv as outside 常熟市', () => {
    const wrong = NEIGHBOURS.rows.flatMap((row) => {
      const name = ['开发区', '经济开发区'].includes(row[2]!)
        ? `${countyOf(row).slice(0, 2)}${row[2]}`
        : row[2]!;
      const decision = route({ address: `${name}某村` });
      return decision.method === 'outside_city' ? [] : [`${name}: ${decision.explanation}`];
    });
    expect(wrong).toEqual([]);
  });

  it('sends a 相城 subdistrict with a name that is also a 常熟 village to triage', () => {
    // 方浜村 is a village of 黄桥街道 (相城区) and of 常福街道 (常熟).
    const decision = route({ address: '黄桥街道方浜村' });
    expect(decision).toMatchObject({ area: null, method: 'outside_city', matched: '黄桥街道' });
    expect(decision.explanation).toContain('相城区');
    expect(route({ address: '江苏省苏州市相城区北桥街道漕湖村' }).method).toBe('outside_city');
    expect(route({ address: '申港街道横塘村' }).method).toBe('outside_city');
    expect(route({ address: '常福街道方浜村' }).area).toBe('yushan');
    expect(route({ address: '方浜村' }).area).toBe('yushan');
  });

  it('prefers triage when a village in a field meets an outside town in the address', () => {
    const decision = route({ community: '方浜村', address: '相城区黄桥街道方浜村' });
    expect(decision).toMatchObject({ area: null, method: 'conflict', matched: '相城区' });
    expect(decision.explanation).toContain('方浜村');
    expect(route({ community: '横塘村', address: '江阴市申港街道横塘村十组' }).area).toBeNull();
  });

  it('prefers triage when a village in the address meets an outside town in the description', () => {
    expect(route({ address: '横塘村' }, '举报地点在申港街道横塘村').method).toBe('conflict');
    // An outside place as a landmark or a person's origin still decides nothing.
    expect(route({ address: '唐北村' }, '昆山人来挖塘').area).toBe('shajiabang');
  });

  it('keeps a town of the city with a village above any outside mention in a weaker place', () => {
    expect(route({ address: '梅李镇塘桥村' }, '举报人在张家港塘桥镇上班').area).toBe('meili');
  });

  it('names both counties of 周庄镇 and keeps 塘桥镇 apart from 塘桥村 of 梅李镇', () => {
    const zhouzhuang = route({ address: '周庄镇某村' });
    expect(zhouzhuang.method).toBe('outside_city');
    expect(zhouzhuang.explanation).toContain('昆山市');
    expect(zhouzhuang.explanation).toContain('江阴市');
    expect(route({ address: '昆山市周庄镇某路' }).method).toBe('outside_city');
    expect(route({ address: '江阴市周庄镇某村' }).method).toBe('outside_city');
    expect(route({ address: '太仓市沙溪镇塘桥村' }).method).toBe('outside_city');
    expect(route({ address: '梅李镇塘桥村五组' }).area).toBe('meili');
  });
});

describe('normalizePlaceText', () => {
  it('folds full-width characters and removes spaces', () => {
    expect(normalizePlaceText('Ａ１ 沙家浜镇　唐市')).toBe('A1沙家浜镇唐市');
  });

  it('folds variant and traditional characters', () => {
    expect(normalizePlaceText('坞坵村 洩水村')).toBe('坞丘村泄水村');
    expect(normalizePlaceText('沙家浜鎮唐東村')).toBe('沙家浜镇唐东村');
    expect(route({ address: '虞山尚湖旅遊度假區' }).area).toBe('resort');
  });
});
