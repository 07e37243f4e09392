/**
 * Schemas of contract section 9 for the OpenAPI document: the body of each feedback webhook landline
 * sends the sources, and the brigade's delivery list. The sender builds the bodies in feedback.ts;
 * the unit tests hold every body it builds to these schemas.
 */
import { z } from 'zod';
import { DELIVERY_STATUSES, FEEDBACK_TYPES, type FeedbackType } from './feedback.js';
import { RESOLUTIONS } from './hotline-events.js';
import { AREA_IDS, SOURCES } from './model.js';

const isoInstant = z.string().meta({ format: 'date-time' });

const commonData = {
  tipId: z.string().describe('The tip as intake answered it.'),
  externalId: z.string().describe('The source’s own id (reportId, orderNo, caseNo).'),
  caseId: z.string(),
  caseNo: z.string().describe('Case number, e.g. 2026-000042.'),
  sequence: z
    .number()
    .int()
    .min(1)
    .describe(
      'Counts up per tip in the order the events happened; deliveries may arrive out of order: order by it, drop an event older than one you have.',
    ),
};

/** The `data` beyond the ids, per type (contract 9's table). */
const DATA_OF_TYPE: Record<FeedbackType, z.ZodRawShape> = {
  'tip.routed': {
    area: z.enum(AREA_IDS),
    areaName: z.string().describe('The sub-bureau’s area, e.g. 沙家浜镇.'),
    dueAt: isoInstant.nullable().describe('The close deadline (办结时限).'),
  },
  'tip.triaged': {},
  'tip.merged': {},
  'case.acknowledged': { at: isoInstant.describe('When the bureau signed for it (签收).') },
  'case.inspected': { finding: z.enum(['violation_confirmed', 'no_violation']) },
  'case.extended': { dueAt: isoInstant.describe('The new close deadline.'), reason: z.string() },
  'case.returned': { reason: z.string(), legalBasis: z.string() },
  'case.closed': {
    outcome: z.string().describe('`withdrawn` after a withdrawal (撤单).'),
    reply: z.string().nullable().describe('答复内容 for the citizen; null when none was given.'),
    resolution: z.enum(RESOLUTIONS).nullable().describe('null after a withdrawal.'),
  },
  'case.reopened': { dueAt: isoInstant.describe('The new close deadline (重办).') },
};

const WHEN: Record<FeedbackType, string> = {
  'tip.routed': 'The tip got its case (受理、派单), or its case was dispatched to another area.',
  'tip.triaged': 'The tip waits for the brigade (no area could be determined).',
  'tip.merged': 'The tip joined an existing case (并单).',
  'case.acknowledged': 'The bureau signed for the case (签收).',
  'case.inspected': 'The site inspection is done (现场核查).',
  'case.extended': 'The brigade approved an extension (延期).',
  'case.returned': 'The brigade returned the case as outside the land bureau’s remit (退单).',
  'case.closed': 'The case was closed (办结), or withdrawn by the source (outcome `withdrawn`).',
  'case.reopened': 'The case was reopened after a dissatisfied callback (重办).',
};

/** The body of one feedback webhook of `type`. */
export function feedbackBodySchema(type: FeedbackType) {
  return z
    .object({
      type: z.literal(type),
      timestamp: isoInstant.describe('When the event happened.'),
      data: z.object({ ...commonData, ...DATA_OF_TYPE[type] }),
    })
    .describe(WHEN[type]);
}

export const feedbackAttemptSchema = z.object({
  attempt: z.number().int().min(1),
  at: isoInstant,
  status: z
    .enum(['succeeded', 'failed', 'interrupted'])
    .describe('interrupted: the sender stopped before recording the answer; the request may have arrived.'),
  responseCode: z.number().int().optional(),
  latencyMs: z.number().int().optional(),
  error: z.string().optional().describe('timeout, connection_refused … when no answer came.'),
  retryAfterS: z.number().optional().describe('The Retry-After the source asked for (429, 503).'),
  manual: z.literal(true).optional().describe('Sent by hand (retry).'),
});

export const deliveryViewSchema = z.object({
  deliveryId: z.string().regex(/^msg_[a-z2-7]{26}$/),
  webhookId: z.string().describe('The `webhook-id` of every attempt: the same as deliveryId.'),
  source: z.enum(SOURCES),
  tipId: z.string(),
  externalId: z.string(),
  caseId: z.string(),
  caseNo: z.string(),
  type: z.enum(FEEDBACK_TYPES),
  sequence: z.number().int().min(1),
  payload: z
    .object({ type: z.enum(FEEDBACK_TYPES), timestamp: isoInstant, data: z.record(z.string(), z.unknown()) })
    .describe('The body every attempt sent.'),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.array(feedbackAttemptSchema),
  scheduledAttempts: z.number().int().describe('Attempts of the retry schedule so far.'),
  nextAttemptAt: isoInstant.nullable().describe('pending: not before this instant.'),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

export const deliveryListSchema = z.object({
  items: z.array(deliveryViewSchema),
  cursor: z.string().nullable(),
});
