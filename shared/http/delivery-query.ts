/** `GET /v1/deliveries` (contract 9): its query, parsed and documented like the case API's others. */
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../domain/feedback.js';
import { SOURCES } from '../domain/model.js';

export const deliveryListQuerySchema = z.object({
  source: z.enum(SOURCES).optional().describe('Only the deliveries to this source.'),
  status: z
    .enum(DELIVERY_STATUSES)
    .optional()
    .describe(
      'pending (on its retry schedule), succeeded, failed (after its last attempt), disabled (the source’s endpoint answered 410), skipped (no endpoint configured).',
    ),
  cursor: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe('Opaque: the `cursor` of the previous page of the same query, as given.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
