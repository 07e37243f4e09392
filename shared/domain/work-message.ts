/** Reads a bureau-queue message back; anything else fails loudly and ends in the dead-letter queue. */
import { z } from 'zod';
import { DEADLINE_KINDS, NOTIFICATION_KINDS, SOURCES, type WorkMessage } from './model.js';

const caseId = z.string().regex(/^case_[a-z2-7]+$/);
const target = z.string().regex(/^(bureau:[a-z]+|brigade)$/);

const workMessageSchema = z.discriminatedUnion('type', [
  // The snapshot is the router's own record of the case; only its identity is checked here.
  z.object({
    type: z.literal('assignment'),
    caseId,
    target,
    snapshot: z
      .object({ caseId, caseNo: z.string(), deadlines: z.array(z.object({}).passthrough()) })
      .passthrough()
      .optional(),
  }),
  z.object({ type: z.literal('escalation'), caseId, target, deadline: z.enum(DEADLINE_KINDS) }),
  z.object({ type: z.literal('reminder'), caseId, target, deadline: z.enum(DEADLINE_KINDS) }),
  z.object({
    type: z.literal('notice'),
    key: z.string().min(1).max(500),
    target,
    notification: z
      .object({
        id: z.string().min(1),
        at: z.string().min(1),
        audience: z.enum(['bureau', 'partner', 'town', 'brigade', 'leader', 'leadership', 'superior']),
        target: z
          .string()
          .regex(
            /^(bureau:[a-z]+|partner:[a-z_]+|town:[a-z]+|leader:district-[1-5]|brigade|leadership|superior)$/,
          ),
        kind: z.enum(NOTIFICATION_KINDS),
        caseId: caseId.optional(),
        deadline: z.enum(DEADLINE_KINDS).optional(),
        unit: z.string().optional(),
        period: z.string().optional(),
        report: z.string().optional(),
        patrolId: z.string().optional(),
        source: z.enum(SOURCES).optional(),
        subject: z.string(),
        sms: z.string(),
        email: z.string(),
      })
      .strict(),
  }),
]);

export class MalformedWorkMessageError extends Error {
  constructor(reason: string) {
    super(`Bureau-queue message is not work for the notifier: ${reason}`);
    this.name = 'MalformedWorkMessageError';
  }
}

export function parseWorkMessage(body: string): WorkMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedWorkMessageError('body is not JSON');
  }
  const result = workMessageSchema.safeParse(value);
  if (!result.success) {
    throw new MalformedWorkMessageError(
      result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', '),
    );
  }
  return result.data as WorkMessage;
}
