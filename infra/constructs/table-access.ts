/**
 * Which table actions each function uses, and which items no function may change.
 *
 * The table holds whistle-blower data and the accountability record, so each function's role names
 * only the DynamoDB actions its adapters call (a new kind of call needs a line here, and the CDK
 * tests show it), and every function role also carries the denials below, which no allowance can
 * override:
 * - audit records (`AUDIT#…`) are append-only: no function updates or deletes them, and only the
 *   case API (which writes them, before it opens an identity) may put one;
 * - API tokens (`TOKEN#…`) are minted and revoked by operators (`npm run tokens`), never by a
 *   function.
 * The conditions test `dynamodb:LeadingKeys`, the partition key of every item a request touches.
 */
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:Scan'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem';

const READ: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Conditional puts and updates, alone or in transactions (TransactWriteItems is authorised per item). */
const WRITE: readonly TableAction[] = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
];

export interface TableAccess {
  readonly actions: readonly TableAction[];
  /** This function writes audit records (the case API). */
  readonly writesAudit?: boolean;
  /** Deletes only items whose partition key starts with one of these (denied on any other item). */
  readonly deletesOnly?: readonly string[];
}

/** The feedback store's endpoint incidents (shared/adapters/dynamo-feedback-store.ts). */
export const FEEDBACK_ENDPOINT_PREFIX = 'FEEDBACK_ENDPOINT#';

/** Per function, what its adapters call (shared/adapters/dynamo-*.ts). */
export const TABLE_ACCESS = {
  /** Cases, tips, the case-number sequence; reads the calendar. Never deletes. */
  route: { actions: [...READ, ...WRITE] },
  /** Cases and the ledger; reads the calendar. Never deletes. */
  sweep: { actions: [...READ, ...WRITE] },
  /** Cases, the ledger, audit records, reads tokens and the calendar. Never deletes or scans. */
  api: { actions: [...READ, ...WRITE], writesAudit: true },
  /** Reads cases and contacts; claims notifications (a failed send gives its claim back: a delete). */
  notify: { actions: [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] },
  /**
   * Reads cases, patrols and the ledger (gets, batch gets, queries); stores reports, satellite scores
   * and the first-started day (conditional puts and updates, no transactions). Never deletes.
   */
  reports: { actions: [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  /**
   * The feedback sender: gets and queries deliveries and endpoint incidents, puts a delivery under
   * its version; a re-enabled endpoint's incident is deleted, and nothing else is.
   */
  feedback: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    deletesOnly: [FEEDBACK_ENDPOINT_PREFIX],
  },
  /** Reads the SMS awaiting receipts, records receipts, deletes the pending entries. */
  receipts: { actions: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] },
  /** For a function added without its own line: reads and writes, no deletes, no scans. */
  default: { actions: [...READ, ...WRITE] },
} as const satisfies Record<string, TableAccess>;

export const AUDIT_PREFIX = 'AUDIT#';
export const TOKEN_PREFIX = 'TOKEN#';

/** The denials every function role carries on the table (see the file's comment). */
export function tableDenials(tableArn: string, access: TableAccess): PolicyStatement[] {
  const leading = (prefix: string) => ({
    'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] },
  });
  return [
    new PolicyStatement({
      sid: 'AuditRecordsAreAppendOnly',
      effect: Effect.DENY,
      actions: [
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        ...(access.writesAudit ? [] : ['dynamodb:PutItem']),
      ],
      resources: [tableArn],
      conditions: leading(AUDIT_PREFIX),
    }),
    new PolicyStatement({
      sid: 'TokensAreOperatorsOnly',
      effect: Effect.DENY,
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      resources: [tableArn],
      conditions: leading(TOKEN_PREFIX),
    }),
    ...(access.deletesOnly
      ? [
          new PolicyStatement({
            sid: 'DeletesOnlyItsOwnItems',
            effect: Effect.DENY,
            actions: ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
            resources: [tableArn],
            conditions: {
              'ForAnyValue:StringNotLike': {
                'dynamodb:LeadingKeys': access.deletesOnly.map((prefix) => `${prefix}*`),
              },
            },
          }),
        ]
      : []),
  ];
}
