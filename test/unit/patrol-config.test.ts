/**
 * Patrol configuration (contract section 7: every requirement is configuration): defaults, the
 * variables that change them, and the case API and sweeper failing at cold start on a bad one.
 */
import { describe, expect, it } from 'vitest';
import { buildCaseApi } from '../../shared/composition/api.js';
import { buildSweeper } from '../../shared/composition/sweep.js';
import { patrolConfigFromEnv } from '../../shared/config/patrol-env.js';
import { DEFAULT_PATROL_REQUIREMENTS } from '../../shared/domain/patrol.js';

const QUEUES = JSON.stringify({ brigade: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/triage' });
const SWEEP_ENV = { TABLE_NAME: 'landline-test', ASSIGNMENT_QUEUE_URLS: QUEUES };
const API_ENV = {
  ...SWEEP_ENV,
  REPORTER_KEY_FILE: '/tmp/landline-never-read.key',
  CURSOR_KEY: 'a-test-cursor-key-of-at-least-32-characters',
};

describe('patrol configuration', () => {
  it('defaults to the contract’s requirements and no configured reporting start', () => {
    expect(patrolConfigFromEnv({})).toEqual({ requirements: DEFAULT_PATROL_REQUIREMENTS });
  });

  it('reads every requirement and the reporting start', () => {
    expect(
      patrolConfigFromEnv({
        PATROL_BUREAU_WEEKLY: '3',
        PATROL_BRIGADE_MONTHLY: '4',
        PATROL_SUPERVISION_MONTHLY: '2',
        PATROL_LEADER_QUARTERLY: '0',
        PATROL_GRACE_WORKING_DAYS: '3',
        PATROL_LATE_ENTRY_WORKING_DAYS: '1',
        REPORTING_START: '2026-12-01',
      }),
    ).toEqual({
      requirements: {
        bureauWeekly: 3,
        brigadeMonthly: 4,
        supervisionMonthly: 2,
        leaderQuarterly: 0,
        graceWorkingDays: 3,
        lateEntryWorkingDays: 1,
      },
      reportingStart: '2026-12-01',
    });
  });

  it('stops the case API and the sweeper at cold start on a bad value, naming it', () => {
    for (const build of [
      () => buildCaseApi({ ...API_ENV, REPORTING_START: '1 Dec' }),
      () => buildSweeper({ ...SWEEP_ENV, REPORTING_START: '2026-13-01' }),
    ])
      expect(build).toThrow(/REPORTING_START/);
    expect(() => buildSweeper({ ...SWEEP_ENV, PATROL_BUREAU_WEEKLY: 'two' })).toThrow(/PATROL_BUREAU_WEEKLY/);
    // A patrol recorded after its period was decided would change an announced decision.
    expect(() => buildCaseApi({ ...API_ENV, PATROL_LATE_ENTRY_WORKING_DAYS: '3' })).toThrow(
      /PATROL_LATE_ENTRY_WORKING_DAYS: must not exceed PATROL_GRACE_WORKING_DAYS/,
    );
    expect(buildSweeper({ ...SWEEP_ENV, REPORTING_START: '2026-12-01' }).sweep).toBeTypeOf('function');
  });
});
