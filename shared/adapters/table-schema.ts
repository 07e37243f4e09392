/**
 * The single DynamoDB table's key schema, shared by the CDK stack, the local run's provisioning
 * and the store adapter so that the three can never disagree.
 *
 * Items (every kind the adapters write; `type` names the kind, `data` holds the record):
 *   pk=CASE#<caseId>             sk=CASE                              the case, whole, with `version` (optimistic
 *                                                                     locking); gsi1: by area, gsi2: all cases by
 *                                                                     year, gsi3: next sweeper instant (sparse);
 *                                                                     `overdueAt`: earliest unmet due instant
 *                                                                     (dynamo-case-store.ts); large events are
 *                                                                     summaries referencing the two below.
 *                                                                     `sweepFailures`: failures in a row of the
 *                                                                     sweeper on this case, its gsi3sk pushed
 *                                                                     back meanwhile (dropped by the next write)
 *   pk=CASE#<caseId>             sk=EVENT#<index>#<fnv32 hex>         the full content of one event over 1 KiB (a
 *                                                                     long comment, an amendment), written before
 *                                                                     the case item that references it; <index>
 *                                                                     its place among the case's events, the hash
 *                                                                     its content's, so a writer that lost the
 *                                                                     versioned put leaves an orphan, never a
 *                                                                     wrong body (shared/domain/case-size.ts)
 *   pk=CASE#<caseId>             sk=UNAPPLIED#<at>#<contentHash>      an amendment the case could not take (at its
 *                                                                     byte budget): `data` the event, `summary`
 *                                                                     its summary; written with the hash on the tip
 *                                                                     anchor, listed with the case's events
 *   pk=TIP#<tipId>               sk=TIP                               the tip's anchor: which case, status, content
 *                                                                     hashes seen; written with its case. A tip
 *                                                                     that joined another tip's case (并单) also
 *                                                                     keeps its sealed `reporter` and its `site`
 *                                                                     features; a split-off one `splitFrom`
 *   pk=SITE#<area>#<site key>    sk=<openedAt UTC>#<caseId>#<tipId>   the duplicate index (dynamo-site-index.ts): one
 *                                                                     tip of a case filed under one village
 *                                                                     (`P:<gazetteer code>`) or grid cell
 *                                                                     (`G:<x>:<y>`, 2×2 cells around its point) of
 *                                                                     its area; `data` the entry with the tip's site
 *                                                                     features. Written with the case or the tip
 *                                                                     (same transaction); the router queries one
 *                                                                     partition per key from `openedAt` on: base-
 *                                                                     table items, so no index to add, no scan
 *   pk=SEQ#case#<year>           sk=SEQ                               the yearly case-number counter (`value`)
 *   pk=NOTIFY#<key>              sk=NOTIFY                            the once-only claim of one notification
 *                                                                     (`state` sending|sent, claimant, leaseUntil,
 *                                                                     sentAt) (dynamo-notification-claims.ts); with
 *                                                                     `sms:<phoneRef>` the status of each of its SMS;
 *                                                                     `expiresAt` (TTL)
 *   pk=NOTIFY#<key>|<part>       sk=NOTIFY                            the claim of one part of a notification with
 *                                                                     several (`broadcast`, `email`, `sms|<phoneRef>`);
 *                                                                     an SMS's carries its delivery: `smsStatus`
 *                                                                     accepted|pending|delivered|failed|unconfirmed,
 *                                                                     channel, template, provider id, masked number
 *                                                                     (dynamo-sms-deliveries.ts)
 *   pk=SMSPENDING#<yyyy-mm-dd>   sk=<SMS claim key>                   an SMS sent that day (Asia/Shanghai) whose
 *                                                                     receipt is awaited: number, provider id; TTL
 *   pk=CONTACTS#<target>         sk=CONTACTS                          who receives a target's notifications: officers'
 *                                                                     phones, e-mails, smsKinds (`npm run contacts`,
 *                                                                     dynamo-contacts.ts)
 *   pk=CALENDAR                  sk=YEAR#<year>                       an official holiday schedule loaded with
 *                                                                     `npm run calendar:load` (dynamo-calendar-store.ts)
 *   pk=LEDGER#<year>#<bureau>    sk=ENTRY#<caseId>#<deadline>#<kind>  one accountability-ledger entry, written once
 *   pk=LEDGER#<year>#<bureau>    sk=COUNTER                           that bureau's criticisms counter of the year:
 *                                                                     criticisms, veto, vetoSince
 *                                                                     (dynamo-ledger-store.ts)
 *   pk=AUDIT#<caseId>            sk=<at>#<id>                         one reporter-identity access, written before
 *                                                                     the identity is opened (dynamo-audit-log.ts)
 *   pk=TOKEN#<sha256 hex>        sk=TOKEN                             an API token's digest: principal, actor, label,
 *                                                                     createdAt, revokedAt (dynamo-token-store.ts)
 *   pk=PATROL#<patrolId>         sk=PATROL                            a patrol, whole; gsi1 (byArea) `PATROL#<area>`,
 *                                                                     gsi2 (byYear) `PATROLS`, both sorted by
 *                                                                     `<startedAt UTC>#<patrolId>` (dynamo-patrol-store.ts)
 *   pk=SEQ#patrol#<area>#<day>   sk=SEQ                               the serial counter of an area's patrols of a day
 *   pk=TIP#fnd_<…>               sk=TIP                               a patrol finding's case anchor (source patrol)
 *   pk=PATROLPERIOD#<period>     sk=UNIT#<unit> | REMINDERS           a unit's patrol decision, put once; the period's
 *                                                                     reminders handed over (dynamo-patrol-periods.ts)
 *   pk=PATROLDECIDED             sk=week|month|quarter                the last period of a kind fully decided (`value`)
 *   pk=CONFIG                    sk=REPORTING_START                   the reporting start, stored on first use (`value`)
 *   pk=DELIVERY#<webhook-id>     sk=DELIVERY                          one feedback delivery to a source (contract 9),
 *                                                                     written with its case change; gsi1
 *                                                                     `DELIVERIES#<source>`, gsi3 `FEEDBACK#DUE`
 *                                                                     while pending (dynamo-feedback-store.ts)
 *   pk=FEEDBACKSEQ#<tipId>       sk=SEQ                               the tip's last feedback sequence number
 *   pk=FEEDBACK_ENDPOINT#<src>   sk=ENDPOINT                          a source's endpoint disabled after a 410
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * The table's time-to-live attribute (epoch seconds): DynamoDB deletes an item some time after it.
 * Only items that lose their purpose carry it (notification claims, pending SMS receipts).
 */
export const TABLE_TTL_ATTRIBUTE = 'expiresAt';

export interface IndexSpec {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

export const INDEXES = {
  /** Cases of one area (`AREA#<area>` or `AREA#triage`), newest first by `<createdAt>#<caseId>`. */
  byArea: { indexName: 'byArea', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Every case (`CASES#<year>`), for the brigade's unfiltered list. */
  byYear: { indexName: 'byYear', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /**
   * Sparse, write-sharded index of when the sweeper must next look at a case: present only while
   * an open case has an unmet, unbreached deadline or a breach not yet escalated; `DUE#<shard>`
   * with the earliest reminder, due or unescalated-breach instant (UTC ISO) as sort key. Not the
   * "overdue" test: that is the case item's `overdueAt`.
   */
  byDue: { indexName: 'byDue', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const satisfies Record<string, IndexSpec>;

export const DUE_SHARDS = 8;
