/**
 * The patrol parts of the functions that need them (the case API, the sweeper): the patrol store,
 * the sweeper's period records, the reporting start (REPORTING_START, else the table's, read once
 * per container), the requirements from the environment and the gazetteer's place resolver.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { DynamoDeploymentSettings } from '../adapters/dynamo-deployment-settings.js';
import { DynamoPatrolPeriodStore } from '../adapters/dynamo-patrol-periods.js';
import { DynamoPatrolStore } from '../adapters/dynamo-patrol-store.js';
import { getJurisdiction } from '../config/jurisdiction/load.js';
import { patrolConfigFromEnv } from '../config/patrol-env.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import type { PatrolRequirements } from '../domain/patrol.js';
import { resolvePatrolPlace } from '../domain/patrol-places.js';
import { countSweepCaseFailures, logger } from '../observability.js';
import type { AssignmentQueue, Clock } from '../ports/index.js';
import type { LedgerStore } from '../ports/ledger.js';
import type { ReportingStartStore } from '../ports/patrol-periods.js';
import { type PatrolSweepOutcome, sweepPatrolPeriods } from '../usecases/sweep-patrol-periods.js';

export interface PatrolParts {
  store: DynamoPatrolStore;
  periods: DynamoPatrolPeriodStore;
  reportingStart: ReportingStartStore;
  requirements: PatrolRequirements;
  resolvePlace: typeof resolvePlaceInGazetteer;
}

const resolvePlaceInGazetteer = (name: string, area: Parameters<typeof resolvePatrolPlace>[1]) =>
  resolvePatrolPlace(name, area, getJurisdiction());

export function patrolParts(tableName: string, env: NodeJS.ProcessEnv): PatrolParts {
  const config = patrolConfigFromEnv(env);
  const periods = new DynamoPatrolPeriodStore(dynamoDocumentClient, tableName);
  // The same first-started day the reports read (pk=SETTING, sk=FIRST_STARTED).
  const settings = new DynamoDeploymentSettings(dynamoDocumentClient, tableName);
  let known: Promise<string> | undefined = config.reportingStart
    ? Promise.resolve(config.reportingStart)
    : undefined;
  return {
    store: new DynamoPatrolStore(dynamoDocumentClient, tableName),
    periods,
    reportingStart: {
      reportingStart(today) {
        // Once per container: the stored day never changes (a failed read is tried again).
        known ??= settings.firstStartedOn(today).catch((error: unknown) => {
          known = undefined;
          throw error;
        });
        return known;
      },
    },
    requirements: config.requirements,
    resolvePlace: resolvePlaceInGazetteer,
  };
}

/**
 * The sweeper's patrol step: reminders and decisions of patrol periods, reported. Whatever fails
 * in it is logged and counted and tried again by the next sweep; it never fails the sweep.
 */
export function patrolSweeper(
  tableName: string,
  env: NodeJS.ProcessEnv,
  shared: { queue: AssignmentQueue; ledger: LedgerStore; clock: Clock; calendar: WorkingCalendar },
): () => Promise<void> {
  const parts = patrolParts(tableName, env);
  const deps = {
    ...shared,
    patrols: parts.store,
    periods: parts.periods,
    reportingStart: parts.reportingStart,
    requirements: parts.requirements,
  };
  return async () => {
    try {
      reportPatrolSweep(await sweepPatrolPeriods(deps));
    } catch (error) {
      countSweepCaseFailures(1);
      logger.error('patrol periods: the sweep failed; the next sweep tries again', {
        error: error instanceof Error ? error : String(error),
      });
    }
  };
}

function reportPatrolSweep(outcome: PatrolSweepOutcome): void {
  countSweepCaseFailures(outcome.failed.length);
  for (const failure of outcome.failed) {
    logger.error(
      `patrol periods: ${failure.step} of ${failure.kind} periods failed; the next sweep tries again`,
      {
        error: failure.error instanceof Error ? failure.error : String(failure.error),
      },
    );
  }
  for (const reminder of outcome.reminded)
    logger.info(`patrol reminder: ${reminder.unit} ${reminder.period}`);
  for (const decision of outcome.decided) {
    if (decision.status === 'short') logger.warn(`patrol shortfall: ${decision.unit} ${decision.period}`);
  }
  for (const entry of outcome.ledger) {
    logger.warn(`ledger: ${entry.kind} for ${entry.bureau} (patrol shortfall ${entry.period})`, {
      bureau: entry.bureau,
      kind: entry.kind,
      period: entry.period,
    });
  }
}
