/**
 * Schemas of what the patrol endpoints answer (contract section 7), for the OpenAPI document. The
 * request body is validated, and documented, by `patrolBodySchema` in patrol-input.ts.
 */
import { z } from 'zod';
import { AREA_IDS, DISTRICT_IDS, VIOLATION_TYPES } from './model.js';
import { FOCUS_TYPES, PATROL_KINDS, type PatrolRecord } from './patrol.js';
import { COMPLIANCE_PERIOD_KINDS } from './patrol-compliance.js';

const isoInstant = z.string().meta({ format: 'date-time' });

export const patrolViewSchema = z.object({
  patrolId: z.string(),
  patrolNo: z.string().describe('XC-<area>-<yyyymmdd of startedAt>-<serial of that area and day>'),
  clientId: z.string().optional(),
  kind: z.enum(PATROL_KINDS),
  area: z.enum(AREA_IDS),
  district: z.enum(DISTRICT_IDS),
  startedAt: isoInstant,
  endedAt: isoInstant,
  officers: z.array(z.string()),
  route: z.string().optional(),
  places: z
    .array(
      z.object({
        name: z.string().describe('As sent.'),
        area: z.enum(AREA_IDS).nullable().describe('The area the gazetteer puts it in; null when unknown.'),
        matched: z.string().nullable().describe('The gazetteer’s name of the place, e.g. 珍北村.'),
        kind: z.string().optional().describe('village, community, town …'),
      }),
    )
    .describe('Each place matched against the gazetteer, read in the patrol’s own area first.'),
  focus: z.array(z.enum(FOCUS_TYPES)),
  track: z
    .object({
      type: z.literal('LineString'),
      coordinates: z.array(z.array(z.number())).describe('As sent.'),
      crs: z.string().optional().describe('The coordinate system it was sent in (default wgs84).'),
      wgs84: z
        .array(z.array(z.number()))
        .optional()
        .describe('The coordinates converted to WGS-84, when they were sent in another system.'),
    })
    .optional(),
  findings: z.array(
    z.object({
      description: z.string(),
      address: z.string().optional(),
      violationType: z.enum(VIOLATION_TYPES),
      party: z.string().optional(),
      measures: z.string().optional(),
      stopped: z.boolean().optional(),
      photos: z.array(z.string()).optional(),
      caseId: z.string().describe('The case the finding became (source patrol).'),
      caseNo: z.string().optional(),
    }),
  ),
  note: z.string().optional(),
  recordedBy: z.string().describe('The principal that recorded it.'),
  recordedByName: z.string().optional(),
  recordedAt: isoInstant,
}) satisfies z.ZodType<PatrolRecord>;

export const patrolListSchema = z.object({
  items: z.array(patrolViewSchema).describe('Newest first (by startedAt).'),
  cursor: z.string().nullable(),
});

export const complianceRowSchema = z.object({
  unit: z.string().describe('bureau:<area>, brigade or leader:<district>'),
  unitName: z.string(),
  requirement: z.enum(['bureau_weekly', 'brigade_monthly', 'supervision_monthly', 'leader_quarterly']),
  requirementLabel: z.string(),
  area: z
    .enum(AREA_IDS)
    .nullable()
    .describe('The bureau’s own area; for supervision_monthly the bureau checked; else null.'),
  district: z.enum(DISTRICT_IDS).optional().describe('leader_quarterly: the district.'),
  required: z.number().int(),
  done: z.number().int(),
  status: z
    .enum(['met', 'open', 'short'])
    .describe('met as soon as done ≥ required; open while below and undecided; short once decided below.'),
});

export const complianceViewSchema = z.object({
  period: z.string(),
  kind: z.enum(COMPLIANCE_PERIOD_KINDS),
  label: z.string().describe('e.g. 2026年第49周'),
  startsAt: isoInstant,
  endsAt: isoInstant.describe('Exclusive.'),
  decidesAt: isoInstant.describe(
    'The end of the grace (second working day after the period): decided after it.',
  ),
  decided: z.boolean(),
  reportingStart: z
    .string()
    .describe(
      'Periods that began before this day (REPORTING_START) are never decided; they stay open below.',
    ),
  units: z.array(complianceRowSchema).describe('The rows the caller may see.'),
});
