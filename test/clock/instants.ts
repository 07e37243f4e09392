/**
 * The awkward instants (Asia/Shanghai) the time-dependent tests are also run at: week ends, the
 * eves of the long holidays, a 调休 working Saturday and the turn of the year (whose new year
 * has no official schedule yet, so its deadlines are provisional). See docs/testing.md.
 */
export interface AwkwardInstant {
  /** Short name, used as the vitest project name. */
  name: string;
  /** ISO 8601 with the +08:00 offset. */
  at: string;
  why: string;
}

export const AWKWARD_INSTANTS: readonly AwkwardInstant[] = [
  { name: 'monday-0030', at: '2026-11-30T00:30:00+08:00', why: 'Monday 00:30: the weekend just ended' },
  {
    name: 'monday-0430',
    at: '2026-11-30T04:30:00+08:00',
    why: 'Monday 04:30: four calendar days back is Thursday, two working days have not run out',
  },
  { name: 'friday-235930', at: '2026-11-27T23:59:30+08:00', why: 'Friday 23:59:30: a working day ends' },
  {
    name: 'before-guoqing',
    at: '2026-09-30T17:30:00+08:00',
    why: 'the last working day before 国庆 (1–7 October 2026)',
  },
  {
    name: 'before-chunjie',
    at: '2026-02-14T17:30:00+08:00',
    why: 'the last working day before 春节 (15–23 February 2026), itself a 调休 Saturday',
  },
  { name: 'tiaoxiu-saturday', at: '2026-10-10T10:00:00+08:00', why: 'a 调休 Saturday after 国庆' },
  { name: 'new-years-eve', at: '2026-12-31T23:59:30+08:00', why: '31 December 23:59:30' },
  {
    name: 'new-year',
    at: '2027-01-01T00:00:30+08:00',
    why: '1 January 00:00:30, a holiday in a year with no official schedule loaded',
  },
];
