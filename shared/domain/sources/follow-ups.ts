/**
 * The follow-ups of contract section 9: what 12345 and 数字城管 say about a tip they sent earlier
 * (催办 urge, 回访 callback, 撤单 withdrawal), each validated into the one FollowUpBody shape.
 */
import { z } from 'zod';
import { compact, externalId, perClock, receivedTimestamp, text } from './fields.js';
import type { FollowUpBody, FollowUpRule } from './types.js';

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;

/** `at`: when the source says it happened, with the receive-time rules (not ahead, not too old). */
const sourceAt = (clock: Parameters<typeof receivedTimestamp>[0]) =>
  receivedTimestamp(clock)
    .optional()
    .describe('When the source says it happened (ISO 8601 with offset); default: the time of receipt.');
const longText = (what: string) => text(2000).optional().describe(`${what}, at most 2000 characters.`);

const typeOf = (body: Record<string, unknown>) =>
  typeof body.eventType === 'string' ? body.eventType : undefined;

/** 12345 follow-ups: `order.urged`, `order.callback`, `order.withdrawn`. */
export const TWELVE345_FOLLOW_UP_EVENTS = ['order.urged', 'order.callback', 'order.withdrawn'] as const;

const schema12345 = perClock((clock) =>
  z
    .discriminatedUnion('eventType', [
      z.object({
        eventType: z.literal('order.urged').describe('催办'),
        orderNo: externalId(),
        at: sourceAt(clock),
        note: longText('The urge'),
      }),
      z.object({
        eventType: z.literal('order.callback').describe('回访'),
        orderNo: externalId(),
        at: sourceAt(clock),
        satisfaction: z.enum(SATISFACTIONS),
        comment: longText('What the citizen said'),
      }),
      z.object({
        eventType: z.literal('order.withdrawn').describe('撤单'),
        orderNo: externalId(),
        at: sourceAt(clock),
        reason: longText('Why the order is withdrawn'),
      }),
    ])
    .transform((body): FollowUpBody => {
      switch (body.eventType) {
        case 'order.urged':
          return compact({ kind: 'urge', externalId: body.orderNo, at: body.at, note: body.note });
        case 'order.callback':
          return compact({
            kind: 'callback',
            externalId: body.orderNo,
            at: body.at,
            satisfaction: body.satisfaction,
            note: body.comment,
          });
        case 'order.withdrawn':
          return compact({ kind: 'withdraw', externalId: body.orderNo, at: body.at, note: body.reason });
      }
    }),
);

export const followUps12345: FollowUpRule = {
  matches: (body) => (TWELVE345_FOLLOW_UP_EVENTS as readonly string[]).includes(typeOf(body) ?? ''),
  schema: schema12345,
  documentation: {
    title: '12345 follow-up (催办, 回访, 撤单)',
    examples: [
      {
        eventType: 'order.urged',
        orderNo: 'GD202611280123',
        at: '2026-12-02T09:30:00+08:00',
        note: '市民来电催办',
      },
      {
        eventType: 'order.callback',
        orderNo: 'GD202611280123',
        at: '2026-12-10T15:00:00+08:00',
        satisfaction: 'dissatisfied',
        comment: '房子还在建',
      },
      { eventType: 'order.withdrawn', orderNo: 'GD202611280123', reason: '市民撤回诉求' },
    ],
  },
};

/** 数字城管 follow-ups: `case.urged`, `case.cancelled` (cancelled means withdrawn). */
export const CITY_MANAGEMENT_FOLLOW_UP_EVENTS = ['case.urged', 'case.cancelled'] as const;

const schemaCityManagement = perClock((clock) =>
  z
    .object({
      eventType: z.enum(CITY_MANAGEMENT_FOLLOW_UP_EVENTS).describe('case.urged 催办, case.cancelled 撤单'),
      case: z.object({
        caseNo: externalId(),
        at: sourceAt(clock),
        note: longText('The urge, or why the case is cancelled'),
      }),
    })
    .transform(
      (body): FollowUpBody =>
        compact({
          kind: body.eventType === 'case.urged' ? 'urge' : 'withdraw',
          externalId: body.case.caseNo,
          at: body.case.at,
          note: body.case.note,
        }),
    ),
);

export const followUpsCityManagement: FollowUpRule = {
  matches: (body) => (CITY_MANAGEMENT_FOLLOW_UP_EVENTS as readonly string[]).includes(typeOf(body) ?? ''),
  schema: schemaCityManagement,
  documentation: {
    title: '数字城管 follow-up (催办, 撤单)',
    examples: [
      {
        eventType: 'case.urged',
        case: { caseNo: 'CS2026112800017', at: '2026-12-01T10:00:00+08:00', note: '请加快处置' },
      },
      { eventType: 'case.cancelled', case: { caseNo: 'CS2026112800017', note: '重复派遣' } },
    ],
  },
};
