/**
 * Deadline sweeper, run on a schedule (every minute in the cloud, SWEEP_INTERVAL_S locally): marks
 * passed deadlines as breached, once, and hands their escalations to the notifier.
 */
import type { ScheduledHandler } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient, sqsClient } from '../../shared/adapters/aws-clients.js';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { SqsAssignmentQueue } from '../../shared/adapters/sqs-assignment-queue.js';
import { jsonVar, nonEmpty, parseEnv } from '../../shared/config/env.js';
import { defaultCaseRules } from '../../shared/domain/case-rules.js';
import type { CaseRecord } from '../../shared/domain/model.js';
import { logger } from '../../shared/observability.js';
import { sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';

const config = parseEnv(
  z.object({
    TABLE_NAME: nonEmpty,
    ASSIGNMENT_QUEUE_URLS: jsonVar(z.record(z.string(), z.url())),
  }),
);

const clock = { now: () => new Date() };
const rules = defaultCaseRules();
const deps = {
  store: new DynamoCaseStore(dynamoDocumentClient, config.TABLE_NAME),
  queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
  clock,
  notifyTownDeadline: (from: string, record: CaseRecord) =>
    rules.eventContext(clock.now()).notifyTownDeadline(from, record),
};

export const handler: ScheduledHandler = async () => {
  const outcome = await sweepDeadlines(deps);
  for (const breach of outcome.breached) {
    logger.warn(`deadline ${breach.deadline} of ${breach.caseId} breached`, breach);
  }
  if (outcome.casesExamined > 0) {
    logger.info(
      `sweep: ${outcome.casesExamined} case(s), ${outcome.breached.length} breach(es), ${outcome.escalated.length} escalation(s)`,
    );
  }
};
