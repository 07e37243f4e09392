/**
 * Schemas of what the case API answers (contract section 3), for the OpenAPI document. The event
 * request body is validated, and documented, by `caseEventBodySchema` in case-events.ts.
 */
import { z } from 'zod';
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
  provisional: z.boolean().optional(),
  basis: z.string().optional(),
});

export const routingSchema = z.object({
  area: z.enum(AREA_IDS).nullable(),
  district: z.enum(DISTRICT_IDS).nullable(),
  method: z.string(),
  matched: z.string().nullable(),
  matchedNames: z.array(z.string()).optional(),
  confidence: z.number(),
  explanation: z.string(),
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
  .object({ type: z.string(), at: isoInstant, by: z.string(), note: z.string().optional() })
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
    overdue: z.boolean(),
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
