/** 并单 in the console: the brigade picks the target by case number among the area's open cases. */
import { describe, expect, it } from 'vitest';
import { type MergeTarget, mergeTargets } from '../../console/src/events.js';

const target = (caseNo: string, fields: Partial<MergeTarget> = {}): MergeTarget => ({
  caseId: `case_${caseNo}`,
  caseNo,
  status: 'assigned',
  area: 'meili',
  description: '新建彩钢棚',
  ...fields,
});

describe('the merge targets the console offers', () => {
  const record = { caseId: 'case_2026-000001', area: 'meili' };
  const cases = [
    target('2026-000001'),
    target('2026-000002'),
    target('2026-000003', { status: 'closed' }),
    target('2026-000004', { area: 'guli' }),
    target('2026-000005', { status: 'triage', area: null }),
    target('2026-000012', { description: '珍北村地基' }),
  ];

  it('are the open cases of the same area other than the case itself, newest first', () => {
    expect(mergeTargets(record, cases, '').map((c) => c.caseNo)).toEqual(['2026-000012', '2026-000002']);
  });

  it('are found by case number or by words of the case', () => {
    expect(mergeTargets(record, cases, '000002').map((c) => c.caseNo)).toEqual(['2026-000002']);
    expect(mergeTargets(record, cases, '珍北村').map((c) => c.caseNo)).toEqual(['2026-000012']);
    expect(mergeTargets(record, cases, '000003')).toEqual([]);
  });
});
