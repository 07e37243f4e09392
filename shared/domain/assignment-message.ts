/** Reads a bureau-queue message back; anything else fails loudly and ends in the dead-letter queue. */
import { z } from 'zod';
import type { AssignmentMessage } from './model.js';

const assignmentSchema = z.object({
  type: z.literal('assignment'),
  caseId: z.string().regex(/^case_[a-z2-7]+$/),
  target: z.string().regex(/^(bureau:[a-z]+|brigade)$/),
});

export function parseAssignmentMessage(body: string): AssignmentMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error('Assignment message is not JSON');
  }
  const result = assignmentSchema.safeParse(value);
  if (!result.success) throw new Error('Assignment message has the wrong shape');
  return result.data;
}
