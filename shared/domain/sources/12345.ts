/** 12345, the government service hotline: its work orders (contract section 2.2). */
import { z } from 'zod';
import {
  compact,
  externalId,
  hasText,
  identityOf,
  isoDateTime,
  isPlainObject,
  MAX_SOURCE_DEADLINE_DAYS,
  perClock,
  receivedTimestamp,
  requiredText,
  stringDetails,
  text,
  withoutNameAndPhone,
  withSourceDeadlineRules,
} from './fields.js';
import { followUps12345, TWELVE345_FOLLOW_UP_EVENTS } from './follow-ups.js';
import type { SourceModule } from './types.js';

/** A body without `eventType`, or with this one, is a work order (a tip); contract 9. */
const TIP_EVENT = 'order.created';
const KNOWN_EVENTS: readonly string[] = [TIP_EVENT, ...TWELVE345_FOLLOW_UP_EVENTS];

const APPEAL_TYPES = ['complaint', 'report', 'consultation', 'suggestion', 'help'] as const;
const URGENCIES = ['normal', 'urgent'] as const;

const schema = perClock((clock) =>
  withSourceDeadlineRules(
    z.object({
      orderNo: externalId(),
      createdAt: receivedTimestamp(clock),
      caller: z
        .object({
          name: text(100).optional(),
          phone: text(32).optional(),
          confidential: z.boolean().default(false),
        })
        .optional(),
      appealType: z.enum(APPEAL_TYPES).default('report'),
      urgency: z.enum(URGENCIES).default('normal'),
      title: text(200).optional(),
      content: requiredText(5000),
      address: text(500).optional(),
      region: text(100).optional(),
      handlingDeadline: isoDateTime()
        .optional()
        .describe(`Not before createdAt, at most ${MAX_SOURCE_DEADLINE_DAYS} days after it.`),
    }),
    'createdAt',
    'handlingDeadline',
  )
    .describe('One of address or region is required.')
    .refine((value: unknown) => !isPlainObject(value) || hasText(value.address) || hasText(value.region), {
      when: () => true,
      path: ['address'],
      message: '须提供address或region',
    }),
);

type Schema = ReturnType<typeof schema>;

export const source12345: SourceModule<z.output<Schema>, z.input<Schema>> = {
  name: '12345',
  documentation: {
    title: '12345 work order',
    summary: 'Submit a 12345 government service hotline work order',
  },
  schema,
  example: {
    orderNo: 'GD202611280123',
    createdAt: '2026-11-28T10:02:11+08:00',
    caller: { name: '李女士', phone: '13800000000', confidential: true },
    appealType: 'report',
    urgency: 'normal',
    title: '村里有人违法建房',
    content: '海虞镇福山村七组有人在承包地上建两层楼房',
    address: '海虞镇福山村七组',
    region: '常熟市海虞镇',
    handlingDeadline: '2026-12-15T17:00:00+08:00',
  },
  externalId: (tip) => tip.orderNo,
  reporterOf: ({ caller }) => {
    const identity = caller && identityOf(caller.name, caller.phone);
    if (!caller || !identity) return { anonymous: true };
    return { anonymous: false, confidential: caller.confidential, identity };
  },
  withoutIdentity: (tip) => ({
    ...tip,
    ...(tip.caller ? { caller: withoutNameAndPhone(tip.caller) } : {}),
  }),
  normalize: (tip, envelope) =>
    compact({
      ...envelope,
      receivedAt: tip.createdAt,
      title: tip.title,
      description: tip.content,
      urgency: tip.urgency,
      location: compact({ address: tip.address, region: tip.region }),
      sourceDeadline: tip.handlingDeadline,
      details: stringDetails({ appealType: tip.appealType, title: tip.title }),
      attachments: [],
    }),
  // Contract 9: urges, callbacks and withdrawals about an order already sent; nothing else but tips.
  followUps: followUps12345,
  unsupportedEvents: {
    matches: (body) => typeof body.eventType === 'string' && !KNOWN_EVENTS.includes(body.eventType),
    message: `只有${TIP_EVENT}事件（或不带eventType）会生成举报；${TWELVE345_FOLLOW_UP_EVENTS.join('、')}为后续事件（催办、回访、撤单）。`,
    documentation: `eventType other than ${KNOWN_EVENTS.join(', ')}`,
  },
};
