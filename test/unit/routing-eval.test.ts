import { describe, expect, it } from 'vitest';
import { evaluate, loadEvalSet, parseEvalSet } from '../routing/evaluate.js';
import { measureRoutingThroughput } from '../routing/throughput.js';

const rows = loadEvalSet();

describe('routing evaluation set', () => {
  it('holds at least 300 labelled addresses, some of each kind', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const triage = rows.filter((row) => row.expected === 'triage').length;
    expect(triage).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((row) => row.expected)).size).toBe(13);
    expect(rows.some((row) => row.location.town || row.location.region || row.location.street)).toBe(true);
  });

  it('is routed 100% as labelled: no wrong area, no needless triage', () => {
    const report = evaluate(rows);
    const misses = report.misses.map(
      (miss) =>
        `line ${miss.row.line}: expected ${miss.row.expected}, got ${miss.got}: ${miss.decision.explanation}`,
    );
    expect(misses).toEqual([]);
    expect(report).toMatchObject({ accuracy: 1, wrongArea: 0, needlessTriage: 0 });
  });

  it('counts a wrong area apart from a needless triage', () => {
    const sample = parseEvalSet(
      [
        'text\ttown\tregion\tstreet\tcommunity\texpected\tnote',
        '沙家浜镇\t\t\t\t\tguli\twrong on purpose',
        '尚湖边上\t\t\t\t\tresort\tambiguous, labelled with an area on purpose',
        '古里镇\t\t\t\t\tguli\tright',
      ].join('\n'),
    );
    const report = evaluate(sample);
    expect(report).toMatchObject({ total: 3, correct: 1, wrongArea: 1, triaged: 1, needlessTriage: 1 });
  });

  it('refuses an unknown label', () => {
    expect(() => parseEvalSet('text\texpected\tnote\n古里\tgulii\tx')).toThrow(/unknown expected area/);
  });

  it('measures throughput with the automaton built once (no timing asserted)', () => {
    const result = measureRoutingThroughput({ durationMs: 50 });
    expect(result.routed).toBeGreaterThan(0);
    expect(result.automatonNames).toBeGreaterThan(1000);
    expect(result.addressesPerSec).toBeGreaterThan(0);
  });
});
