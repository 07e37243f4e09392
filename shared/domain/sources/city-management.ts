/** 数字城管, the city-management system: cases it dispatches to the land bureau (contract section 2.3). */
import { z } from 'zod';
import {
  compact,
  crs,
  externalId,
  httpsUrl,
  isoDateTime,
  latitude,
  longitude,
  MAX_ATTACHMENTS,
  MAX_SOURCE_DEADLINE_DAYS,
  perClock,
  point,
  receivedTimestamp,
  requiredText,
  stringDetails,
  text,
  withLocationRules,
  withSourceDeadlineRules,
} from './fields.js';
import { CITY_MANAGEMENT_FOLLOW_UP_EVENTS, followUpsCityManagement } from './follow-ups.js';
import type { SourceModule } from './types.js';

const SUPPORTED_EVENT = 'case.dispatched';
const ORIGINS = ['inspector', 'public', 'video', 'hotline', 'superior'] as const;

const schema = perClock((clock) =>
  z.object({
    eventType: z.literal(SUPPORTED_EVENT),
    case: withSourceDeadlineRules(
      z.object({
        caseNo: externalId(),
        reportedAt: receivedTimestamp(clock),
        origin: z.enum(ORIGINS).optional(),
        category: z
          .object({ major: text(100).optional(), minor: text(100).optional(), code: text(32).optional() })
          .optional(),
        description: requiredText(5000),
        location: withLocationRules(
          z.object({
            description: text(500).optional(),
            street: text(100).optional(),
            community: text(100).optional(),
            gridCode: text(64).optional(),
            lng: longitude().optional(),
            lat: latitude().optional(),
            crs: crs(),
          }),
          ['description', 'street'],
          'description、street或lng与lat',
        ).describe('Where: at least one of description, street, or lng and lat together.'),
        photos: z.array(httpsUrl()).max(MAX_ATTACHMENTS).default([]).describe('At most 20, https URLs only.'),
        dueAt: isoDateTime()
          .optional()
          .describe(`Not before reportedAt, at most ${MAX_SOURCE_DEADLINE_DAYS} days after it.`),
      }),
      'reportedAt',
      'dueAt',
    ),
  }),
);

type Schema = ReturnType<typeof schema>;

export const sourceCityManagement: SourceModule<z.output<Schema>, z.input<Schema>> = {
  name: 'city-management',
  documentation: {
    title: '数字城管 dispatched case',
    summary: 'Submit a 数字城管 case dispatched to the land bureau',
  },
  schema,
  example: {
    eventType: 'case.dispatched',
    case: {
      caseNo: 'CS2026112800017',
      reportedAt: '2026-11-28T08:40:00+08:00',
      origin: 'inspector',
      category: { major: '违法建设', minor: '违章搭建', code: '0501' },
      description: '农田内新建彩钢棚约300平方米',
      location: {
        description: '碧溪街道李袁村',
        street: '碧溪街道',
        community: '李袁村',
        gridCode: '3205810050201',
        lng: 120.9,
        lat: 31.72,
        crs: 'cgcs2000',
      },
      photos: ['https://example.org/p1.jpg'],
      dueAt: '2026-12-01T17:00:00+08:00',
    },
  },
  externalId: (tip) => tip.case.caseNo,
  // Cases come from inspectors and other systems: nobody to seal or call back.
  reporterOf: () => ({ anonymous: true }),
  withoutIdentity: (tip) => tip,
  normalize: (tip, envelope) => {
    const { case: dispatched } = tip;
    return compact({
      ...envelope,
      receivedAt: dispatched.reportedAt,
      description: dispatched.description,
      urgency: 'normal',
      location: compact({
        address: dispatched.location.description,
        street: dispatched.location.street,
        community: dispatched.location.community,
        gridCode: dispatched.location.gridCode,
        point: point(dispatched.location),
      }),
      sourceDeadline: dispatched.dueAt,
      details: stringDetails({
        eventType: tip.eventType,
        origin: dispatched.origin,
        categoryMajor: dispatched.category?.major,
        categoryMinor: dispatched.category?.minor,
        categoryCode: dispatched.category?.code,
      }),
      attachments: dispatched.photos.map((url) => ({ url })),
    });
  },
  // Contract 9: an urge or a cancellation of a case dispatched earlier.
  followUps: followUpsCityManagement,
  // Only a dispatch hands a case to the bureau; the system's other events (closed, recalled …) are
  // neither tips nor follow-ups.
  unsupportedEvents: {
    matches: (body) =>
      typeof body.eventType === 'string' &&
      body.eventType !== SUPPORTED_EVENT &&
      !(CITY_MANAGEMENT_FOLLOW_UP_EVENTS as readonly string[]).includes(body.eventType),
    message: `只有${SUPPORTED_EVENT}事件会生成举报；${CITY_MANAGEMENT_FOLLOW_UP_EVENTS.join('、')}为后续事件（催办、撤单）。`,
    documentation: `eventType other than ${[SUPPORTED_EVENT, ...CITY_MANAGEMENT_FOLLOW_UP_EVENTS].join(', ')}`,
  },
};
