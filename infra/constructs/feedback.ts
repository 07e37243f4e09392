/**
 * The feedback sender's cloud side (contract 9): each source's endpoint secret (URL and `whsec_`
 * secret, stored by the operator), the sender's bindings (its queue, the table, the brigade's queue
 * for a disabled endpoint's notice, those three secrets and nothing else). The relay's schedule is the
 * stack's, like every schedule (its dead-letter and retry settings in one place).
 * The function and its queue are made by the stateless stack like every other, so timeouts,
 * visibility, dead-lettering and alarms stay uniform.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SOURCES, type Source } from '../../shared/domain/model.js';
import type { LandlineFunction } from './landline-function.js';

export interface FeedbackSenderProps {
  /** `landline-<env>`: the secrets' name prefix. */
  readonly prefix: string;
  readonly envName: string;
  /** The sender, made like every function (functions/feedback/handler.ts). */
  readonly fn: LandlineFunction;
  /** Its queue (made with a DLQ and alarms like every queue). */
  readonly queue: IQueue;
  readonly table: ITable;
  /** The brigade's (triage) queue: a disabled endpoint's notice goes through the notifier. */
  readonly brigadeQueue: IQueue;
}

export class FeedbackSender extends Construct {
  readonly fn: LandlineFunction;
  readonly endpointSecrets: Readonly<Record<Source, Secret>>;

  constructor(scope: Construct, id: string, props: FeedbackSenderProps) {
    super(scope, id);
    const secrets: Partial<Record<Source, Secret>> = {};
    for (const source of SOURCES) {
      // A placeholder without a URL (the source gets no deliveries) until the operator stores
      // {"url": "https://…", "secret": "whsec_…"} as agreed with the source.
      const secret = new Secret(this, `Endpoint${source.replace(/[^A-Za-z0-9]/g, '')}`, {
        secretName: `${props.prefix}/feedback/${source}`,
        description: `landline ${props.envName}: feedback endpoint (url, whsec_ secret) of source ${source}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ url: '' }),
          generateStringKey: 'secret',
          passwordLength: 48,
          excludePunctuation: true,
        },
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The secret is shared with an external source system, so it is rotated by agreement with that system (several whsec_ values at once, each request signed with each); a rotation Lambda cannot update the source system.',
      });
      secrets[source] = secret;
    }
    this.endpointSecrets = secrets as Record<Source, Secret>;

    this.fn = props.fn
      .bindTable(props.table)
      .bindFeedbackQueue(props.queue)
      .bindFeedbackEndpoints(secrets)
      .bindAssignmentQueues({ brigade: props.brigadeQueue })
      // Attempts side by side (each at most 15 s); one failing attempt never fails the others.
      .consume(props.queue, { batchSize: 5 });
  }
}
