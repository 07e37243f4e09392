/** The 100-point assessment's scoring (contract section 8): pure, every item with weight, score and basis. */
import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_ITEMS,
  DEFAULT_ASSESSMENT_WEIGHTS,
  type QuarterFacts,
  scoreQuarter,
  scoreYear,
} from '../../shared/domain/assessment.js';

const facts = (overrides: Partial<QuarterFacts> = {}): QuarterFacts => ({
  weeks: 13,
  weeksMet: 12,
  bureauWeekly: 2,
  reportsDue: 3,
  reportsOnTime: 2,
  deadlinesDue: 40,
  deadlinesMet: 38,
  violationsConfirmed: 10,
  violationsConfirmedByPatrol: 6,
  admonishments: 1,
  criticisms: 0,
  ...overrides,
});

describe('scoreQuarter', () => {
  it('scores each item by its ratio and weight, the ledger by deductions, and adds them up', () => {
    const { score, items } = scoreQuarter(facts());
    expect(items.map((item) => [item.item, item.weight, item.score])).toEqual([
      ['patrol_frequency', 30, 27.69],
      ['reports_on_time', 15, 10],
      ['deadlines_met', 30, 28.5],
      ['patrol_discovery', 15, 9],
      ['ledger', 10, 8],
    ]);
    expect(score).toBe(83.19);
  });

  it('says in Chinese why each item scored what it did', () => {
    const { items } = scoreQuarter(facts());
    const basis = Object.fromEntries(items.map((item) => [item.item, item.basis]));
    expect(basis.patrol_frequency).toBe(
      '应考核13周，分局巡查达到每周2次的12周（92.31%），得分30×12/13=27.69',
    );
    expect(basis.reports_on_time).toBe('应报月报3份，按时报送2份，得分15×2/3=10');
    expect(basis.deadlines_met).toBe('到期办理时限40个，按时完成38个、超时2个，得分30×38/40=28.5');
    expect(basis.patrol_discovery).toBe('核查属实的违法行为10起，其中巡查发现6起（60%），得分15×6/10=9');
    expect(basis.ledger).toBe('诫勉谈话1次（每次扣2分）、通报批评0次（每次扣5分），得分10−2=8');
    expect(items.map((item) => item.label)).toEqual([
      '巡查频次',
      '月报按时报送',
      '案件办理时限',
      '巡查发现率',
      '巡查台账（诫勉谈话、通报批评）',
    ]);
  });

  it('gives full marks to a ratio with nothing due, and still lists every item with its weight', () => {
    const { score, items } = scoreQuarter(
      facts({
        weeks: 0,
        weeksMet: 0,
        reportsDue: 0,
        reportsOnTime: 0,
        deadlinesDue: 0,
        deadlinesMet: 0,
        violationsConfirmed: 0,
        violationsConfirmedByPatrol: 0,
        admonishments: 0,
      }),
    );
    expect(score).toBe(100);
    expect(items.map((item) => item.item)).toEqual([...ASSESSMENT_ITEMS]);
    expect(items[3]!.basis).toBe('本季度无核查属实的违法行为，按满分计15分');
  });

  it('never takes the ledger item below zero', () => {
    const ledger = scoreQuarter(facts({ admonishments: 2, criticisms: 2 })).items.at(-1)!;
    expect(ledger.score).toBe(0);
    expect(ledger.basis).toMatch(/得分10−14=0（不低于0分）$/);
  });

  it('takes configured weights', () => {
    const weights = { ...DEFAULT_ASSESSMENT_WEIGHTS, patrolFrequency: 40, ledger: 0 };
    const { items } = scoreQuarter(facts({ weeksMet: 13 }), weights);
    expect(items[0]).toMatchObject({ weight: 40, score: 40 });
    expect(items.at(-1)).toMatchObject({ weight: 0, score: 0 });
  });
});

describe('scoreYear', () => {
  it('is 0.8 × the mean of the quarters plus 0.2 × the satellite score', () => {
    const { score, items } = scoreYear(
      [
        { quarter: '2026-Q1', score: 90 },
        { quarter: '2026-Q2', score: 80 },
      ],
      70,
    );
    expect(score).toBe(82);
    expect(items).toEqual([
      expect.objectContaining({
        item: 'quarters',
        weight: 80,
        score: 68,
        basis: '第一季度90分、第二季度80分，平均85分：85×0.8=68',
      }),
      expect.objectContaining({
        item: 'satellite',
        weight: 20,
        score: 14,
        basis: '卫片执法得分70分：70×0.2=14',
      }),
    ]);
  });

  it('counts a satellite score not yet entered as 0, and says so', () => {
    const { score, items } = scoreYear([{ quarter: '2026-Q4', score: 90 }], null);
    expect(score).toBe(72);
    expect(items[1]!.basis).toBe('卫片执法得分尚未录入，暂按0分计');
  });

  it('takes configured shares', () => {
    expect(
      scoreYear([{ quarter: '2026-Q4', score: 50 }], 100, {
        ...DEFAULT_ASSESSMENT_WEIGHTS,
        quarterShare: 0.5,
        satelliteShare: 0.5,
      }).score,
    ).toBe(75);
  });
});
