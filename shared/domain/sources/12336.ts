/** 12336, the natural-resources violation tip line (contract section 2.1). */
import { z } from 'zod';
import { VIOLATION_TYPES } from '../model.js';
import {
  compact,
  crs,
  externalId,
  httpsUrl,
  identityOf,
  latitude,
  longitude,
  MAX_ATTACHMENTS,
  perClock,
  point,
  receivedTimestamp,
  requiredText,
  stringDetails,
  text,
  withLocationRules,
  withoutNameAndPhone,
} from './fields.js';
import type { SourceModule } from './types.js';

const CHANNELS = ['phone', 'web', 'letter', 'visit'] as const;

const schema = perClock((clock) =>
  z.object({
    reportId: externalId(),
    receivedAt: receivedTimestamp(clock),
    channel: z.enum(CHANNELS).default('phone'),
    reporter: z
      .object({
        anonymous: z.boolean().default(false),
        name: text(100).optional(),
        phone: text(32).optional(),
        wantsFeedback: z.boolean().optional(),
      })
      .optional(),
    subject: text(200).optional(),
    violationType: z.enum(VIOLATION_TYPES).optional(),
    location: withLocationRules(
      z.object({
        address: text(500).optional(),
        town: text(100).optional(),
        lng: longitude().optional(),
        lat: latitude().optional(),
        crs: crs(),
      }),
      ['address', 'town'],
      'address、town或lng与lat',
    ).describe('Where: at least one of address, town, or lng and lat together.'),
    description: requiredText(5000),
    attachments: z
      .array(z.object({ url: httpsUrl(), type: text(100).optional() }))
      .max(MAX_ATTACHMENTS)
      .default([])
      .describe('At most 20, https URLs only.'),
  }),
);

type Schema = ReturnType<typeof schema>;

export const source12336: SourceModule<z.output<Schema>, z.input<Schema>> = {
  name: '12336',
  documentation: {
    title: '12336 tip',
    summary: 'Submit a tip from the 12336 natural-resources violation tip line',
  },
  schema,
  example: {
    reportId: '12336-320581-20261128-0042',
    receivedAt: '2026-11-28T09:15:00+08:00',
    channel: 'phone',
    reporter: { anonymous: false, name: '张三', phone: '13912345678', wantsFeedback: true },
    subject: '某建材公司',
    violationType: 'illegal_occupation',
    location: {
      address: '常熟市沙家浜镇唐市社区北侧',
      town: '沙家浜镇',
      lng: 120.81,
      lat: 31.54,
      crs: 'wgs84',
    },
    description: '有人在基本农田上建厂房，已经开始打地基',
    attachments: [{ url: 'https://example.org/a.jpg', type: 'image/jpeg' }],
  },
  externalId: (tip) => tip.reportId,
  reporterOf: ({ reporter }) => {
    if (!reporter || reporter.anonymous) return { anonymous: true };
    const identity = identityOf(reporter.name, reporter.phone);
    if (!identity) return { anonymous: true };
    return {
      anonymous: false,
      confidential: false,
      ...(reporter.wantsFeedback === undefined ? {} : { wantsFeedback: reporter.wantsFeedback }),
      identity,
    };
  },
  withoutIdentity: (tip) => ({
    ...tip,
    ...(tip.reporter ? { reporter: withoutNameAndPhone(tip.reporter) } : {}),
  }),
  normalize: (tip, envelope) =>
    compact({
      ...envelope,
      receivedAt: tip.receivedAt,
      description: tip.description,
      violationType: tip.violationType,
      urgency: 'normal',
      location: compact({
        address: tip.location.address,
        town: tip.location.town,
        point: point(tip.location),
      }),
      details: stringDetails({ channel: tip.channel, subject: tip.subject }),
      attachments: tip.attachments.map((item) => compact({ url: item.url, type: item.type })),
    }),
};
