/**
 * Reads an intake-queue message back into a CanonicalTip. The intake function wrote it, but a
 * queue is a boundary: a message that is not a tip fails loudly (and ends in the dead-letter
 * queue) instead of making a broken case.
 */
import { z } from 'zod';
import { type CanonicalTip, SOURCES } from './model.js';

const tipMessageSchema = z
  .object({
    tipId: z.string().regex(/^tip_[a-z2-7]+$/),
    source: z.enum(SOURCES),
    externalId: z.string().min(1),
    receivedAt: z.iso.datetime({ offset: true }),
    acceptedAt: z.string(),
    description: z.string(),
    urgency: z.enum(['normal', 'urgent']),
    location: z.object({}).passthrough(),
    details: z.record(z.string(), z.string()),
    attachments: z.array(z.object({ url: z.string() }).passthrough()),
    reporter: z.union([
      z.object({ anonymous: z.literal(true) }),
      z
        .object({ anonymous: z.literal(false), confidential: z.boolean(), sealed: z.string().min(1) })
        .passthrough(),
    ]),
    contentHash: z.string().min(1),
  })
  .passthrough();

export class MalformedTipMessageError extends Error {
  constructor(reason: string) {
    super(`Intake message is not a tip: ${reason}`);
    this.name = 'MalformedTipMessageError';
  }
}

export function parseTipMessage(body: string): CanonicalTip {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedTipMessageError('body is not JSON');
  }
  const result = tipMessageSchema.safeParse(value);
  if (!result.success) {
    throw new MalformedTipMessageError(
      result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', '),
    );
  }
  return result.data as unknown as CanonicalTip;
}
