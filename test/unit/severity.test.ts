import { describe, expect, it } from 'vitest';
import {
  assessSeverity,
  choosePartners,
  DEFAULT_PARTNER_RULES,
  DEFAULT_SEVERITY_RULES,
  inferViolationType,
  parseChineseNumber,
  resolveViolationType,
  statedAreas,
} from '../../shared/domain/severity.js';

describe('parseChineseNumber', () => {
  it.each([
    ['八', 8],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十五', 25],
    ['一百零五', 105],
    ['两千', 2000],
    ['三千五百', 3500],
    ['一万二千', 12000],
    ['十几', 11],
    ['二十几', 21],
    ['几十', 20],
    ['几', 2],
    ['半', 0.5],
    ['1.5', 1.5],
    ['3千', 3000],
    ['1.2万', 12000],
  ])('%s → %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });

  it('is null for text that is no number, and for 万 alone', () => {
    expect(parseChineseNumber('农田')).toBeNull();
    expect(parseChineseNumber('万')).toBeNull();
  });
});

describe('statedAreas', () => {
  it('converts 亩, 平方米 and 公顷 to 亩', () => {
    expect(statedAreas('占地八亩')).toEqual([{ text: '八亩', mu: 8 }]);
    expect(statedAreas('约3000平方米')).toEqual([{ text: '3000平方米', mu: 4.5 }]);
    expect(statedAreas('2公顷')).toEqual([{ text: '2公顷', mu: 30 }]);
    expect(statedAreas('一亩半')).toEqual([{ text: '一亩半', mu: 1.5 }]);
    expect(statedAreas('１０００㎡')).toEqual([{ text: '1000m2', mu: 1.5 }]);
    expect(statedAreas('十多亩和300平米')).toEqual([
      { text: '十多亩', mu: 10 },
      { text: '300平米', mu: 0.45 },
    ]);
  });

  it('ignores 亩 without a number before it', () => {
    expect(statedAreas('亩产一千斤，每亩补偿')).toEqual([]);
  });
});

describe('assessSeverity', () => {
  const normal = (description: string) => assessSeverity({ urgency: 'normal', description }).severity;

  it('is major when the source says urgent', () => {
    expect(assessSeverity({ urgency: 'urgent', description: '有人建房' })).toEqual({
      severity: 'major',
      reasons: ['来源标注为紧急'],
    });
  });

  it.each(['重大', '突发', '群体', '暴力'])('is major for the keyword %s', (keyword) => {
    expect(normal(`发生${keyword}事件`)).toBe('major');
  });

  it('reads the title too', () => {
    expect(assessSeverity({ title: '突发：挖土', description: '有人挖土' }).severity).toBe('major');
  });

  it('uses 5 亩 for basic farmland', () => {
    expect(normal('基本农田被占用八亩')).toBe('major');
    expect(normal('基本农田被占用5亩')).toBe('major');
    expect(normal('基本农田被占用四亩多')).toBe('normal');
    expect(normal('基本农田被占约3000平方米')).toBe('normal');
    expect(normal('基本农田被占约3500平方米')).toBe('major');
  });

  it('shows the conversion of other units', () => {
    expect(assessSeverity({ description: '占地2公顷' }).reasons).toEqual([
      '举报所述面积2公顷（合30亩），达到其他土地10亩的标准',
    ]);
  });

  it('uses 10 亩 for other land', () => {
    expect(normal('占用一般耕地八亩')).toBe('normal');
    expect(normal('占用耕地十二亩')).toBe('major');
    expect(normal('约十几亩地被推平')).toBe('major');
    expect(normal('2公顷林地被毁')).toBe('major');
    expect(normal('农田内新建彩钢棚约300平方米')).toBe('normal');
  });

  it('explains the area reason', () => {
    const { reasons } = assessSeverity({ description: '基本农田上建厂房，约1.5亩和八亩两块' });
    expect(reasons).toEqual(['举报所述面积八亩，达到基本农田5亩的标准']);
  });
});

describe('choosePartners', () => {
  it('sends construction to planning and urban management', () => {
    const choice = choosePartners({ description: '有人在基本农田上建厂房，已经开始打地基' }, 'normal');
    expect(choice.partners).toEqual(['planning', 'urban_management']);
    expect(choice.reasons.planning).toBe('涉及在土地上建设（厂房、地基）');
  });

  it('sends housing sales to housing', () => {
    expect(choosePartners({ description: '村里在卖小产权房，开发商是外地的' }, 'normal').partners).toEqual([
      'housing',
    ]);
  });

  it('sends violence and soil theft to the police', () => {
    expect(choosePartners({ description: '执法人员被阻挠' }, 'normal').partners).toEqual(['police']);
    const theft = choosePartners({ description: '夜里有人盗挖泥土' }, 'normal');
    expect(theft.partners).toEqual(['police']);
    expect(theft.reasons.police).toBe('涉及非法采矿或盗取土方（盗挖）');
  });

  it('adds the police to every major case, with both reasons when both apply', () => {
    expect(choosePartners({ description: '有人占地' }, 'major')).toEqual({
      partners: ['police'],
      reasons: { police: '重大案件' },
    });
    const both = choosePartners({ title: '殴打', description: '搭建彩钢棚时殴打村民' }, 'major');
    expect(both.partners).toEqual(['planning', 'urban_management', 'police']);
    expect(both.reasons.police).toBe('涉及暴力、威胁或阻挠执法（殴打）；重大案件');
  });

  it('chooses nobody for a plain tip and follows configured rules', () => {
    expect(choosePartners({ description: '有人占地种树' }, 'normal').partners).toEqual([]);
    const config = { ...DEFAULT_PARTNER_RULES, majorCase: [] };
    expect(choosePartners({ description: '有人占地' }, 'major', config).partners).toEqual([]);
  });
});

describe('inferViolationType', () => {
  it.each([
    ['有人挖毁基本农田', 'farmland_destruction'],
    ['基本农田被破坏', 'farmland_destruction'],
    ['有人在基本农田上建厂房', 'illegal_occupation'],
    ['村里占用耕地', 'illegal_occupation'],
    ['村委会私自出租土地给外地老板', 'illegal_transfer'],
    ['土地被倒卖', 'illegal_transfer'],
    ['镇里违规批准征地', 'illegal_approval'],
    ['不符合土地利用总体规划', 'plan_violation'],
    ['征地补偿款没有发到位', 'farmer_rights'],
    ['国有土地被低价处置', 'state_asset_loss'],
    ['路边堆放垃圾', 'other'],
  ] as const)('%s → %s', (text, type) => {
    expect(inferViolationType(text)).toBe(type);
  });

  it('prefers the type the source stated', () => {
    expect(resolveViolationType('plan_violation', '有人建房')).toEqual({
      violationType: 'plan_violation',
      inferred: false,
    });
    expect(resolveViolationType(undefined, '有人建房')).toEqual({
      violationType: 'illegal_occupation',
      inferred: true,
    });
  });
});

describe('stated areas in every common form (contract 4)', () => {
  const mu = (text: string) => statedAreas(text).map((area) => area.mu);

  it.each([
    ['八亩', 8],
    ['十二亩', 12],
    ['1.5亩', 1.5],
    ['3000平方米', 4.5],
    ['2公顷', 30],
    ['约十几亩', 11],
    ['两亩', 2],
    ['半亩', 0.5],
    ['一亩多', 1],
    ['一亩半', 1.5],
    ['3.5万平方米', 52.5],
    ['0.5公顷', 7.5],
    ['八亩地', 8],
    ['二十余亩', 20],
    ['十来亩', 10],
    ['三四亩', 3],
    ['3,000平方米', 4.5],
    ['3000㎡', 4.5],
    ['2.5hm²', 37.5],
    ['一百零五亩', 105],
  ])('%s is %s 亩', (text, expected) => {
    expect(mu(`有人在${text}土地上施工`)).toEqual([expected]);
  });

  it('makes a tip major at 5 亩 of basic farmland and 10 亩 of other land, with the reason', () => {
    expect(assessSeverity({ description: '占用基本农田约五亩建厂房' })).toMatchObject({
      severity: 'major',
      reasons: ['举报所述面积五亩，达到基本农田5亩的标准'],
    });
    expect(assessSeverity({ description: '占用耕地八亩地建厂房' }).severity).toBe('normal');
    expect(assessSeverity({ description: '占用耕地0.5公顷' })).toMatchObject({
      severity: 'normal',
    });
    expect(assessSeverity({ description: '占用耕地3.5万平方米' })).toMatchObject({
      severity: 'major',
      reasons: ['举报所述面积3.5万平方米（合52.5亩），达到其他土地10亩的标准'],
    });
  });

  it('reads units and thresholds from configuration', () => {
    const rules = { ...DEFAULT_SEVERITY_RULES, otherLandThresholdMu: 1, areaUnits: { 分地: 0.1 } };
    expect(assessSeverity({ description: '占地十五分地' }, rules).severity).toBe('major');
    expect(assessSeverity({ description: '占地两亩' }, rules).severity).toBe('normal');
  });
});

describe('partners with their reasons (contract 5)', () => {
  it('names the words that chose each partner, and the major case for the police', () => {
    const choice = choosePartners({ description: '开发商在农田上建房出售小产权房，并殴打村民' }, 'major');
    expect(choice.partners).toEqual(['planning', 'urban_management', 'housing', 'police']);
    expect(choice.reasons.housing).toBe('涉及房屋销售或开发（小产权、开发商）');
    expect(choice.reasons.police).toBe('涉及暴力、威胁或阻挠执法（殴打）；重大案件');
  });
});
