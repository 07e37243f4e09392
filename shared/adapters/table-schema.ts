/**
 * The single DynamoDB table's key schema, shared by the CDK stack, the local run's provisioning
 * and the store adapter so that the three can never disagree.
 *
 * Items:
 *   pk=CASE#<caseId>        sk=CASE          the case (gsi1: by area, gsi2: all cases, gsi3: next due deadline)
 *   pk=TIP#<tipId>          sk=TIP           the tip's anchor (which case, status, content hashes seen)
 *   pk=SEQ#case#<year>      sk=SEQ           the yearly case-number counter
 *   pk=NOTIFY#<key>         sk=NOTIFY        the once-only claim of one notification
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

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
   * Sparse, write-sharded index of open deadlines: present only while a case has an unmet,
   * unbreached deadline; `DUE#<shard>` with the earliest such `dueAt` (UTC ISO) as sort key.
   */
  byDue: { indexName: 'byDue', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const satisfies Record<string, IndexSpec>;

export const DUE_SHARDS = 8;
