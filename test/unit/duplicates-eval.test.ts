import { describe, expect, it } from 'vitest';
import { evaluate, loadEvalSet, PAIR_KINDS, parseEvalSet } from '../duplicates/evaluate.js';

const pairs = loadEvalSet();

describe('duplicate evaluation set', () => {
  it('holds at least 200 labelled pairs, some of every kind', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    for (const kind of PAIR_KINDS)
      expect(pairs.filter((pair) => pair.kind === kind).length).toBeGreaterThan(0);
    expect(pairs.filter((pair) => pair.expect === 'same').length).toBeGreaterThanOrEqual(100);
    expect(pairs.some((pair) => pair.a.location.point && pair.b.location.point)).toBe(true);
  });

  it('makes no false merge and finds at least 80% of the true ones', () => {
    const report = evaluate(pairs);
    const falseMerges = report.falseMerges.map(
      (verdict) =>
        `line ${verdict.pair.line}: ${verdict.reason}: ${verdict.pair.a.description} / ${verdict.pair.b.description}`,
    );
    expect(falseMerges).toEqual([]);
    expect(report.precision).toBe(1);
    expect(report.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('refuses an unknown kind or label', () => {
    const header =
      'expect\tkind\ta_source\ta_address\ta_point\ta_subject\ta_text\tb_source\tb_address\tb_point\tb_subject\tb_text\tnote';
    expect(() =>
      parseEvalSet(`${header}\nsame\tnearby\t12345\t海虞镇\t\t\tx\t12345\t海虞镇\t\t\ty\t`),
    ).toThrow(/unknown kind/);
    expect(() =>
      parseEvalSet(`${header}\nmaybe\tresent_edited\t12345\t海虞镇\t\t\tx\t12345\t海虞镇\t\t\ty\t`),
    ).toThrow(/same or different/);
  });
});
