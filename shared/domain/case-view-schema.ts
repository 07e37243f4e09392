/**
 * Schemas of what the case API answers (contract section 3), for the OpenAPI document. The event
 * request body is validated, and documented, by `caseEventBodySchema` in case-events.ts.
 */
import { z } from 'zod';
import { CASE_EVENT_TYPES } from './case-events.js';
import type { LedgerEntry, LedgerEntryKind } from './ledger.js';
import {
  AREA_IDS,
  CASE_STATUSES,
  DEADLINE_KINDS,
  DISTRICT_IDS,
  PARTNER_DEPARTMENTS,
  SOURCES,
  VIOLATION_TYPES,
} from './model.js';

const isoInstant = z.string().meta({ format: 'date-time' });

export const geoPointSchema = z.object({
  lng: z.number(),
  lat: z.number(),
  crs: z.enum(['wgs84', 'gcj02', 'bd09', 'cgcs2000']),
});

export const tipLocationSchema = z.object({
  address: z.string().optional(),
  town: z.string().optional(),
  region: z.string().optional(),
  street: z.string().optional(),
  community: z.string().optional(),
  gridCode: z.string().optional(),
  point: geoPointSchema.optional(),
});

export const deadlineSchema = z.object({
  kind: z.enum(DEADLINE_KINDS),
  dueAt: isoInstant,
  metAt: isoInstant.nullable(),
  breachedAt: isoInstant.nullable(),
  provisional: z
    .boolean()
    .optional()
    .describe(
      "True when counted without that year's official holiday schedule; recounted once it is loaded.",
    ),
  basis: z
    .string()
    .optional()
    .describe('Why this instant, e.g. "1 working day from 2026-11-28 (Sat)" or "source deadline".'),
  countedFrom: isoInstant.optional().describe('The instant the span is counted from.'),
  sourceDueAt: isoInstant
    .optional()
    .describe("close only: the source's own deadline, preferred when a recount happens."),
  remindedAt: isoInstant
    .nullable()
    .optional()
    .describe('When the reminder before this deadline was handed to the notifier; absent until then.'),
  escalatedAt: isoInstant
    .nullable()
    .optional()
    .describe("When the breach's escalation was handed to the notifier; absent until then."),
});

export const routingSchema = z.object({
  area: z.enum(AREA_IDS).nullable(),
  district: z.enum(DISTRICT_IDS).nullable(),
  method: z.string(),
  matched: z.string().nullable(),
  matchedNames: z.array(z.string()).optional(),
  confidence: z.number(),
  explanation: z.string(),
  previous: z
    .array(
      z.object({
        area: z.enum(AREA_IDS).nullable(),
        method: z.string(),
        explanation: z.string(),
        replacedAt: isoInstant,
      }),
    )
    .optional()
    .describe('Earlier routing decisions, oldest first, when the brigade reassigned the case.'),
});

export const reporterViewSchema = z.union([
  z.object({ anonymous: z.literal(true) }),
  z.object({
    anonymous: z.literal(false),
    confidential: z.boolean(),
    name: z.string().optional(),
    phone: z.string().optional(),
    wantsFeedback: z.boolean().optional(),
  }),
]);

export const caseEventViewSchema = z
  .object({
    type: z.string(),
    at: isoInstant,
    by: z.string(),
    note: z.string().optional(),
    body: z
      .object({ ref: z.string(), bytes: z.number().int() })
      .optional()
      .describe(
        'Present when the event is given as its summary (its note cut to 120 characters, its large fields left out): where its full content is stored, and its size. A case answer inlines large events up to 1,000,000 bytes; lists and the answer to an event always summarize them.',
      ),
    unapplied: z
      .literal(true)
      .optional()
      .describe(
        'An amendment that arrived when the case was at its byte budget: kept with its content, not applied to the case.',
      ),
  })
  .loose();

export const caseViewSchema = z
  .object({
    caseId: z.string(),
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    area: z.enum(AREA_IDS).nullable(),
    areaName: z.string().nullable(),
    district: z.enum(DISTRICT_IDS).nullable(),
    bureau: z.string(),
    routing: routingSchema,
    title: z.string().optional(),
    description: z.string(),
    location: tipLocationSchema,
    violationType: z.enum(VIOLATION_TYPES),
    severity: z.enum(['normal', 'major']),
    severityReasons: z.array(z.string()),
    partners: z.array(z.enum(PARTNER_DEPARTMENTS)),
    partnerReasons: z.record(z.string(), z.string()),
    deadlines: z.array(deadlineSchema),
    tips: z.array(
      z.object({
        tipId: z.string(),
        source: z.enum(SOURCES),
        externalId: z.string(),
        receivedAt: isoInstant,
      }),
    ),
    reporter: reporterViewSchema
      .optional()
      .describe('Present only for principals allowed to see the reporter (each read is audited).'),
    events: z.array(caseEventViewSchema),
    eventsOmitted: z
      .number()
      .int()
      .optional()
      .describe(
        'Lists only, for a page too large to answer whole: how many earlier events of this case were left out (its own GET lists them all).',
      ),
    overdue: z
      .boolean()
      .describe(
        'Not closed, and at least one deadline is past its due instant and not met (breached ones included, escalated or not).',
      ),
    allowedEvents: z
      .array(z.enum(CASE_EVENT_TYPES))
      .describe(
        "The event types the caller may send to this case now (its state and the caller's role decide); anything else answers 403 or 409.",
      ),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .loose();

export const caseListSchema = z.object({
  items: z.array(caseViewSchema),
  cursor: z.string().nullable(),
});

export const tipStatusSchema = z.object({
  tipId: z.string(),
  source: z.enum(SOURCES),
  externalId: z.string(),
  status: z.enum(['routed', 'triage', 'merged']),
  caseId: z.string(),
  caseNo: z.string().optional(),
});

/** One reporter-identity access (`GET /v1/audit`). */
export const auditRecordSchema = z.object({
  id: z.string(),
  at: isoInstant,
  action: z.literal('reporter.view'),
  caseId: z.string(),
  caseNo: z.string(),
  tipId: z.string().describe('The tip whose sealed identity was opened.'),
  principal: z.string().describe('brigade or bureau:<area>'),
  actor: z
    .object({ name: z.string(), role: z.enum(['chief', 'officer']).optional() })
    .optional()
    .describe('The person behind the token, when the token names one.'),
  reason: z.string().describe('The caller\'s `reason`, or "case view".'),
});

export const auditPageSchema = z.object({
  items: z.array(auditRecordSchema).describe('Oldest first.'),
  cursor: z.string().nullable(),
});

/** One entry of the accountability ledger (`GET /v1/ledger`). */
export const ledgerEntrySchema = z.object({
  entryId: z.string().describe('<caseId>#<deadline>#<kind>: one entry per breach'),
  year: z.number().int().describe('The Shanghai calendar year of the missed deadline.'),
  bureau: z.string().describe('bureau:<area>'),
  kind: z
    .enum(['admonishment', 'criticism'] as const satisfies readonly LedgerEntryKind[])
    .describe('诫勉谈话 or 通报批评'),
  caseId: z.string(),
  caseNo: z.string(),
  deadline: z.enum(DEADLINE_KINDS),
  dueAt: isoInstant,
  breachedAt: isoInstant,
  chief: z.string().describe("The bureau's chief, from the acting tokens, or unknown"),
  officer: z.string().describe('The officer directly in charge, or unknown'),
  reason: z.string(),
  recordedAt: isoInstant,
}) satisfies z.ZodType<LedgerEntry>;

export const ledgerViewSchema = z.object({
  year: z.number().int(),
  entries: z.array(ledgerEntrySchema),
  vetoes: z
    .array(z.string().describe('bureau:<area>'))
    .describe('Bureaus with the one-vote veto (一票否决) in that year.'),
});
