/**
 * The feedback sender's cloud side (contract 9): the sender's bindings (its queue, its table actions,
 * the brigade's queue for a disabled endpoint's notice, read access to each source's endpoint secret
 * and nothing else). The endpoint secrets (URL and `whsec_` secret, stored by the operator) live in
 * the stateful stack, retained like the source secrets. The relay's schedule is the
 * stack's, like every schedule (its dead-letter and retry settings in one place).
 * The function and its queue are made by the stateless stack like every other, so timeouts,
 * visibility, dead-lettering and alarms stay uniform.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Source } from '../../shared/domain/model.js';
import type { LandlineFunction } from './landline-function.js';
import { TABLE_ACCESS } from './table-access.js';

export interface FeedbackSenderProps {
  /** The sender, made like every function (functions/feedback/handler.ts). */
  readonly fn: LandlineFunction;
  /** Its queue (made with a DLQ and alarms like every queue). */
  readonly queue: IQueue;
  readonly table: ITable;
  /** The brigade's (triage) queue: a disabled endpoint's notice goes through the notifier. */
  readonly brigadeQueue: IQueue;
  /**
   * Each source's endpoint secret, `{url, secret}`, entered by an operator: kept (and retained) in
   * the stateful stack like the source secrets; the sender may only read them.
   */
  readonly endpointSecrets: Readonly<Record<Source, ISecret>>;
}

export class FeedbackSender extends Construct {
  readonly fn: LandlineFunction;

  constructor(scope: Construct, id: string, props: FeedbackSenderProps) {
    super(scope, id);
    this.fn = props.fn
      .bindTable(props.table, TABLE_ACCESS.feedback)
      .bindFeedbackQueue(props.queue)
      .bindFeedbackEndpoints(props.endpointSecrets)
      .bindAssignmentQueues({ brigade: props.brigadeQueue })
      // Attempts side by side (each at most 15 s); one failing attempt never fails the others.
      .consume(props.queue, { batchSize: 5 });
  }
}
