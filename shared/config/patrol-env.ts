/**
 * Patrol configuration from the environment (contract section 7: "all requirements are
 * configuration"), parsed once per cold start by the composition roots that need it. Absent
 * variables take DEFAULT_PATROL_REQUIREMENTS; a bad one fails the function at start-up, named.
 */
import { z } from 'zod';
import { DEFAULT_PATROL_REQUIREMENTS, type PatrolRequirements } from '../domain/patrol.js';
import { parseEnv } from './env.js';

const count = (fallback: number) => z.coerce.number().int().min(0).max(100).default(fallback);
const workingDays = (fallback: number) => z.coerce.number().int().min(0).max(10).default(fallback);

const patrolEnvironment = z
  .object({
    /** `bureau` patrols of its own area per ISO week, per bureau. */
    PATROL_BUREAU_WEEKLY: count(DEFAULT_PATROL_REQUIREMENTS.bureauWeekly),
    /** `brigade` or `spot_check` patrols per calendar month, by the brigade. */
    PATROL_BRIGADE_MONTHLY: count(DEFAULT_PATROL_REQUIREMENTS.brigadeMonthly),
    /** `supervision` patrols of each bureau per calendar month, by the brigade. */
    PATROL_SUPERVISION_MONTHLY: count(DEFAULT_PATROL_REQUIREMENTS.supervisionMonthly),
    /** `leader` patrols per quarter in each district. */
    PATROL_LEADER_QUARTERLY: count(DEFAULT_PATROL_REQUIREMENTS.leaderQuarterly),
    /** Working days after a period ends before it is decided. */
    PATROL_GRACE_WORKING_DAYS: workingDays(DEFAULT_PATROL_REQUIREMENTS.graceWorkingDays),
    /** Working days after a patrol ended during which it may still be recorded. */
    PATROL_LATE_ENTRY_WORKING_DAYS: workingDays(DEFAULT_PATROL_REQUIREMENTS.lateEntryWorkingDays),
    /** Periods and report months that began before this day are never decided. */
    REPORTING_START: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }).optional(),
  })
  // A patrol recorded after its period was decided would change a decision already announced.
  .refine((env) => env.PATROL_LATE_ENTRY_WORKING_DAYS <= env.PATROL_GRACE_WORKING_DAYS, {
    path: ['PATROL_LATE_ENTRY_WORKING_DAYS'],
    message: 'must not exceed PATROL_GRACE_WORKING_DAYS',
  });

export interface PatrolConfig {
  requirements: PatrolRequirements;
  /** REPORTING_START when configured; otherwise the table's (the first day the deployment used it). */
  reportingStart?: string;
}

export function patrolConfigFromEnv(source: NodeJS.ProcessEnv = process.env): PatrolConfig {
  const env = parseEnv(patrolEnvironment, source);
  return {
    requirements: {
      bureauWeekly: env.PATROL_BUREAU_WEEKLY,
      brigadeMonthly: env.PATROL_BRIGADE_MONTHLY,
      supervisionMonthly: env.PATROL_SUPERVISION_MONTHLY,
      leaderQuarterly: env.PATROL_LEADER_QUARTERLY,
      graceWorkingDays: env.PATROL_GRACE_WORKING_DAYS,
      lateEntryWorkingDays: env.PATROL_LATE_ENTRY_WORKING_DAYS,
    },
    ...(env.REPORTING_START ? { reportingStart: env.REPORTING_START } : {}),
  };
}
