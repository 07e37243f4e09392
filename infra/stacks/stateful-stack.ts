/**
 * What outlives a deployment: the case table, the keys that encrypt data at rest and in flight,
 * the dead-letter queues (the only copy of a message that failed five times: a tip among them) and
 * the secrets operators enter by hand (each source's webhook secret and feedback endpoint, the SMS
 * provider's and the SMTP relay's credentials) and the console's user pool. Kept apart from the stateless stack so that the latter can be destroyed and
 * recreated freely, and so that nothing here is replaced by an unrelated change; all of it is
 * retained when its stack is deleted.
 *
 * Keys, one per purpose, because each has a different set of users and a different blast radius:
 * - tableKey: the case table (cases, tips, ledger). Used only through the table by the functions.
 * - messagingKey: queues and topics. Also usable by CloudWatch (alarms publish to the operations
 *   topic), which must never be able to touch the table's key.
 * - reporterKey: envelope key of the reporter vault. Its policy names the two functions that may
 *   use it, by their role names (the roles live in the stateless stack and may not exist yet):
 *   intake may only create data keys, the case API may only decrypt them, both only directly (not
 *   through another AWS service) and only under the vault's encryption context; everyone else,
 *   administrators included, is denied both. A leaked table export or queue message alone reveals
 *   no identity, and no role but the case API's can open one.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  Effect,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { INDEXES, TABLE_KEYS, TABLE_TTL_ATTRIBUTE } from '../../shared/adapters/table-schema.js';
import { AREA_IDS, SOURCES, type Source } from '../../shared/domain/model.js';
import { type EnvConfig, partitionOf } from '../config.js';
import { ConsoleUserPool, consoleHosting } from '../constructs/console.js';
import { functionRoleName, reporterKeyContextCondition } from '../constructs/landline-function.js';

export interface StatefulStackProps extends StackProps {
  readonly config: EnvConfig;
}

/**
 * The queues of a deployment by short name (`landline-<env>-<name>`, its DLQ `…-dlq`): the intake
 * queue, one per bureau and the brigade's triage queue, with the notification target each carries.
 */
export const QUEUES: readonly { readonly name: string; readonly target?: string }[] = [
  { name: 'intake' },
  ...AREA_IDS.map((area) => ({ name: `bureau-${area}`, target: `bureau:${area}` })),
  { name: 'triage', target: 'brigade' },
  // Contract 9: the feedback sender's attempts.
  { name: 'feedback' },
];

/** How long a dead letter is kept (SQS's maximum): two weeks to fix the cause and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export class StatefulStack extends Stack {
  readonly table: ITable;
  readonly tableKey: IKey;
  readonly messagingKey: IKey;
  readonly reporterKey: IKey;
  /** Dead-letter queues by queue short name. */
  readonly deadLetterQueues: Readonly<Record<string, Queue>>;
  readonly sourceSecrets: Readonly<Record<Source, Secret>>;
  /** The SMS provider's credentials (aliyun, tencent channels). */
  readonly smsSecret?: Secret;
  /** The SMTP relay's account (smtp e-mail channel). */
  readonly smtpSecret?: Secret;
  /**
   * Each source's feedback endpoint (contract 9): `{url, secret}` as agreed with the source, entered
   * by an operator, so kept here like the source secrets; only the feedback sender reads them.
   */
  readonly feedbackEndpointSecrets: Readonly<Record<Source, Secret>>;
  /**
   * The console's people (retained with their passwords and MFA); absent where Amazon Cognito user
   * pools are not offered (the China regions: see `consoleHosting`).
   */
  readonly consoleUsers?: ConsoleUserPool;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const env = config.envName;
    const prefix = `landline-${env}`;

    const tableKey = new Key(this, 'TableKey', {
      description: `landline ${env}: case table at rest`,
      alias: `alias/landline-${env}-table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    const messagingKey = new Key(this, 'MessagingKey', {
      description: `landline ${env}: SQS queues and SNS topics`,
      alias: `alias/landline-${env}-messaging`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch alarms publish to the (encrypted) operations topic as the service itself: only for
    // this deployment's alarms.
    messagingKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${prefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    const reporterKey = new Key(this, 'ReporterKey', {
      description: `landline ${env}: reporter identities (envelope encryption)`,
      alias: `alias/landline-${env}-reporter`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.lockReporterKey(reporterKey, env);

    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: tableKey,
      removalPolicy: RemovalPolicy.RETAIN,
      // Notification claims and pending SMS receipts expire; nothing else carries the attribute.
      timeToLiveAttribute: TABLE_TTL_ATTRIBUTE,
      // Which keys are hot or throttled (a sweep shard, a busy case, the sequence counter).
      contributorInsightsSpecification: { enabled: true },
    });
    for (const index of Object.values(INDEXES)) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    const deadLetterQueues: Record<string, Queue> = {};
    for (const { name } of QUEUES) {
      const dlq = new Queue(this, `${pascal(name)}Dlq`, {
        queueName: `${prefix}-${name}-dlq`,
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: messagingKey,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const endOfLine =
        'This is a dead-letter queue (of the queue of the same name in the stateless stack), the end of the line: its messages are inspected and redriven to their queue by an operator (npm run redrive), never dead-lettered further.';
      Validations.of(dlq).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: endOfLine });
      Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: endOfLine });
      deadLetterQueues[name] = dlq;
    }

    // Source secrets: a generated placeholder until the operator stores the real `whsec_…` value
    // agreed with the source. Rotation is coordinated with each source system (Standard Webhooks
    // accepts several secrets at once), so there is no rotation Lambda; see the acknowledgement.
    const sourceSecrets = {} as Record<Source, Secret>;
    for (const source of SOURCES) {
      sourceSecrets[source] = this.operatorSecret(
        `SourceSecret${pascal(source)}`,
        `${prefix}/source/${source}`,
        `landline ${env}: Standard Webhooks secret(s) of source ${source}`,
        'The secret is shared with an external source system, so it is rotated by agreement with that system: the new secret is added beside the old one (Standard Webhooks verifies any of several), then the old one is removed. A rotation Lambda cannot update the source system.',
      );
    }

    if (config.sms.channel === 'aliyun' || config.sms.channel === 'tencent') {
      this.smsSecret = this.operatorSecret(
        'SmsSecret',
        `${prefix}/sms/${config.sms.channel}`,
        `landline ${env}: ${config.sms.channel} SMS credentials as JSON (docs/operations.md)`,
        "The provider's AccessKey (SecretId) is issued in the provider's console for a RAM (CAM) user allowed to send SMS only; it is rotated there and stored here by an operator, which a rotation Lambda cannot do.",
      );
    }
    if (config.email.channel === 'smtp') {
      this.smtpSecret = this.operatorSecret(
        'SmtpSecret',
        `${prefix}/smtp`,
        `landline ${env}: SMTP relay account as JSON {"username","password"}`,
        "The relay's account is issued by the mail system's administrators and rotated with them; an operator stores it here.",
      );
    }

    this.table = table;
    this.tableKey = tableKey;
    this.messagingKey = messagingKey;
    this.reporterKey = reporterKey;
    this.deadLetterQueues = deadLetterQueues;
    this.sourceSecrets = sourceSecrets;

    // Feedback endpoints (contract 9): a placeholder without a URL (the source gets no deliveries)
    // until the operator stores {"url": "https://…", "secret": "whsec_…"} as agreed with the source.
    const feedbackEndpointSecrets = {} as Record<Source, Secret>;
    for (const source of SOURCES) {
      const secret = new Secret(this, `FeedbackEndpoint${pascal(source)}`, {
        secretName: `${prefix}/feedback/${source}`,
        description: `landline ${env}: feedback endpoint (url, whsec_ secret) of source ${source}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ url: '' }),
          generateStringKey: 'secret',
          passwordLength: 48,
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The secret is shared with an external source system, so it is rotated by agreement with that system (several whsec_ values at once, each request signed with each); a rotation Lambda cannot update the source system.',
      });
      feedbackEndpointSecrets[source] = secret;
    }
    this.feedbackEndpointSecrets = feedbackEndpointSecrets;

    if (consoleHosting(partitionOf(config.region)) === 'cloudfront')
      this.consoleUsers = new ConsoleUserPool(this, 'ConsoleUsers', { envName: env });
  }

  /** A secret an operator fills in: a random placeholder until then (no function accepts it), kept. */
  private operatorSecret(id: string, name: string, description: string, rotation: string): Secret {
    const secret = new Secret(this, id, {
      secretName: name,
      description,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: rotation });
    return secret;
  }

  /** The reporter key's policy (see the file's comment). */
  private lockReporterKey(key: Key, env: string): void {
    const roleArn = (fn: string) =>
      this.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: functionRoleName(env, fn),
      });
    const intake = roleArn('intake');
    const api = roleArn('api');
    const context = reporterKeyContextCondition();
    const direct = { 'kms:ViaService': 'true' };
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'IntakeSealsReporters',
        principals: [new AccountRootPrincipal()],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': intake }, StringEquals: context, Null: direct },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CaseApiOpensReporters',
        principals: [new AccountRootPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': api }, StringEquals: context, Null: direct },
      }),
    );
    const deny = (sid: string, actions: string[], conditions: Record<string, unknown>) =>
      key.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions,
          resources: ['*'],
          conditions,
        }),
      );
    deny('OnlyTheCaseApiDecrypts', ['kms:Decrypt'], { ArnNotEquals: { 'aws:PrincipalArn': api } });
    deny('OnlyIntakeMakesDataKeys', ['kms:GenerateDataKey*', 'kms:Encrypt'], {
      ArnNotEquals: { 'aws:PrincipalArn': intake },
    });
    // Re-encryption would move an identity under a key this policy does not guard.
    deny('NoReEncryption', ['kms:ReEncrypt*'], {});
    deny('OnlyUnderTheVaultContext', ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Encrypt'], {
      StringNotEquals: context,
    });
    deny('OnlyDirectCalls', ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Encrypt'], {
      Null: { 'kms:ViaService': 'false' },
    });
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
export const pascal = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .map(capitalize)
    .join('');
