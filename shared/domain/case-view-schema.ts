/**
 * Schemas of what the case API answers (contract section 3), for the OpenAPI document. The event
 * request body is validated, and documented, by `caseEventBodySchema` in case-events.ts.
 */
import { z } from 'zod';
import { CASE_EVENT_TYPES } from './case-events.js';
import { LEDGER_ENTRY_KINDS, LEDGER_REASONS, type LedgerEntry } from './ledger.js';
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
/** A Chinese name shown beside a code (contract 11); the code stays the field to program against. */
const label = (example: string) =>
  z.string().optional().describe(`The code's Chinese name, e.g. ${example}.`);

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
    .describe('Why this instant, in Chinese, e.g. "自受理之日2026年11月28日（星期六）起1个工作日".'),
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
  label: label('签收'),
});

export const routingSchema = z.object({
  area: z.enum(AREA_IDS).nullable(),
  district: z.enum(DISTRICT_IDS).nullable(),
  method: z.string(),
  matched: z.string().nullable(),
  matchedNames: z.array(z.string()).optional(),
  methodLabel: label('依据地址中的镇名'),
  confidence: z.number(),
  explanation: z.string().describe('Why, in Chinese: which name in which field decided, what agreed.'),
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
    label: label('签收'),
    findingLabel: label('违法属实 (inspect only)'),
    resultLabel: label('制止无效 (stop only)'),
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
    statusLabel: label('待签收'),
    area: z.enum(AREA_IDS).nullable(),
    areaName: z.string().nullable(),
    district: z.enum(DISTRICT_IDS).nullable(),
    bureau: z.string(),
    districtName: z.string().nullable().optional().describe("The district's Chinese name, e.g. 第三片区."),
    bureauName: label('梅李镇国土分局 (国土资源监察大队 for a case in triage)'),
    routing: routingSchema,
    title: z.string().optional(),
    description: z.string(),
    location: tipLocationSchema,
    violationType: z.enum(VIOLATION_TYPES),
    violationTypeLabel: label('非法占用土地'),
    severity: z.enum(['normal', 'major']),
    severityLabel: label('一般'),
    severityReasons: z.array(z.string()).describe('Why the case is major, in Chinese; empty when normal.'),
    partners: z.array(z.enum(PARTNER_DEPARTMENTS)),
    partnerLabels: z
      .record(z.string(), z.string())
      .optional()
      .describe('Each partner department by its Chinese name, e.g. {"planning": "城乡规划局"}.'),
    partnerReasons: z
      .record(z.string(), z.string())
      .describe('Why each department was informed, in Chinese, e.g. 涉及在土地上建设（建房）.'),
    deadlines: z.array(deadlineSchema),
    tips: z.array(
      z.object({
        tipId: z.string(),
        source: z.enum(SOURCES),
        sourceLabel: label('12345政务服务热线'),
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
    relatedCaseIds: z
      .array(z.string())
      .optional()
      .describe(
        'Earlier cases about the same site that this case could not join: closed within a year (复发), or opened outside the 60-day window (contract section 10).',
      ),
    mergedInto: z
      .string()
      .optional()
      .describe(
        'Set when the brigade merged this case into another (`merge`): that case. The case is then closed with outcome merged and its tips are listed there.',
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
  status: z
    .enum(['routed', 'triage', 'merged'])
    .describe(
      'routed: a case was made for it; triage: it waits for the brigade; merged: it joined an existing case about the same site (并单).',
    ),
  caseId: z.string().describe('The case the tip is in now (after a merge or a split, the case it went to).'),
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
  reason: z.string().describe('The caller\'s `reason`, or "查看案件".'),
});

export const auditPageSchema = z.object({
  items: z.array(auditRecordSchema).describe('Oldest first.'),
  cursor: z.string().nullable(),
});

/** One entry of the accountability ledger (`GET /v1/ledger`). */
export const ledgerEntrySchema = z.object({
  entryId: z
    .string()
    .describe(
      '<caseId>#<deadline>#<kind>, patrol#<unit>#<period> or report#<area>/<month>: one entry per cause',
    ),
  year: z.number().int().describe('The Shanghai calendar year of the missed deadline, period or report.'),
  bureau: z.string().describe('bureau:<area>'),
  kind: z
    .enum(LEDGER_ENTRY_KINDS)
    .describe('admonishment 诫勉谈话, criticism 通报批评, late_report 月报迟报 (shown, never counted)'),
  kindLabel: z.string().optional().describe('The kind in Chinese: 诫勉谈话, 通报批评 or 月报迟报'),
  bureauName: z.string().optional().describe("The bureau's Chinese name, e.g. 梅李镇国土分局"),
  reason: z.enum(LEDGER_REASONS),
  reasonLabel: z.string().describe('The reason in Chinese, e.g. 未落实巡查责任'),
  detail: z.string().optional().describe('What happened, in Chinese'),
  caseId: z.string().optional(),
  caseNo: z.string().optional(),
  deadline: z.enum(DEADLINE_KINDS).optional(),
  dueAt: isoInstant.optional(),
  breachedAt: isoInstant.optional(),
  unit: z.string().optional().describe('Patrol shortfall: the unit, bureau:<area>'),
  period: z.string().optional().describe('Patrol shortfall: the period, e.g. 2026-W49'),
  report: z.string().optional().describe('Late report: <area>/<month>'),
  chief: z.string().describe("The bureau's chief, from the acting tokens, or unknown"),
  officer: z.string().describe('The officer directly in charge, or unknown'),
  recordedAt: isoInstant,
}) satisfies z.ZodType<LedgerEntry>;

export const ledgerViewSchema = z.object({
  year: z.number().int(),
  entries: z.array(ledgerEntrySchema),
  vetoes: z
    .array(z.string().describe('bureau:<area>'))
    .describe('Bureaus with the one-vote veto (一票否决) in that year.'),
});
