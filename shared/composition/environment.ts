/**
 * Each function's environment as one zod schema, parsed once at cold start by its builder: a
 * function whose environment is wrong fails before its first event, naming every bad variable.
 * Each function reads exactly the variables its CDK bindings set (infra/constructs/landline-function.ts).
 */
import { z } from 'zod';
import { assignmentQueueUrls, jsonVar, nonEmpty, reminderLeadMsFromEnv } from '../config/env.js';
import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy } from '../domain/deadlines.js';
import { apiTokensSchema } from '../http/auth.js';

export const intakeEnvironment = z.object({ INTAKE_QUEUE_URL: nonEmpty });

export const routeEnvironment = z.object({
  TABLE_NAME: nonEmpty,
  ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls,
});

export const sweepEnvironment = routeEnvironment;

export const apiEnvironment = routeEnvironment.extend({
  // Absent in the cloud: tokens live hashed in the table (npm run tokens).
  API_TOKENS: jsonVar(apiTokensSchema).optional(),
});

const notifyCommon = {
  TABLE_NAME: nonEmpty,
  // How long an unsent claim blocks other deliveries before one may take it over (default 5 minutes).
  NOTIFY_CLAIM_LEASE_S: z.coerce.number().int().min(1).max(3600).default(300),
};

/** SNS topics per target in the cloud; the outbox file on a local run. */
export const notifyEnvironment = z.discriminatedUnion('NOTIFY_MODE', [
  z.object({ ...notifyCommon, NOTIFY_MODE: z.literal('outbox'), OUTBOX_FILE: nonEmpty }),
  z.object({
    ...notifyCommon,
    NOTIFY_MODE: z.literal('sns'),
    TOPIC_ARNS: jsonVar(z.record(z.string(), nonEmpty)),
  }),
]);

/**
 * The deadline policy of a function that writes cases: the domain's, with the reminder lead
 * REMINDER_LEAD_MINUTES may set. The notifier writes no case and reads neither.
 */
export function deadlinePolicyFromEnv(env: NodeJS.ProcessEnv): DeadlinePolicy {
  return { ...DEFAULT_DEADLINE_POLICY, reminderLeadMs: reminderLeadMsFromEnv(env) };
}
