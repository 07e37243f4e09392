/**
 * Each function's environment as one zod schema, parsed once at cold start by its builder: a
 * function whose environment is wrong fails before its first event, naming every bad variable.
 * The variables are those its CDK bindings set (infra/constructs/landline-function.ts). Every
 * bundle carries this module, so it imports no domain or HTTP code: the case API's schema, which
 * needs the token format, is in ./api.ts.
 */
import { z } from 'zod';
import { assignmentQueueUrls, jsonVar, nonEmpty } from '../config/env.js';

export const intakeEnvironment = z.object({
  INTAKE_QUEUE_URL: nonEmpty,
  // Read only: a source's follow-up about an id landline has no case for is 404 (contract 9).
  TABLE_NAME: nonEmpty,
  // How many days in the past a source's receive time may lie (contract 12); the default is
  // DEFAULT_MAX_RECEIVE_AGE_DAYS of the source fields, written out so this module stays domain-free.
  MAX_RECEIVE_AGE_DAYS: z.coerce.number().int().min(1).max(366).default(30),
});

export const routeEnvironment = z.object({
  TABLE_NAME: nonEmpty,
  ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls,
});

export const sweepEnvironment = routeEnvironment;

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
