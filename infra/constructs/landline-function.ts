/**
 * The one way landline defines a Lambda function: the runtime, bundling, logging, metrics and
 * tracing defaults live here, and every `bind*()` helper sets an environment variable together with the
 * narrowest grant that variable needs, so a function can never hold a name it may not use (or a
 * permission it has no name for).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { CfnQueue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DATA_KEY_CONTEXT } from '../../shared/adapters/envelope-reporter-vault.js';
import { INDEXES } from '../../shared/adapters/table-schema.js';
import { feedbackEndpointArnVariable } from '../../shared/config/feedback-variables.js';
import { sourceSecretArnVariable } from '../../shared/config/source-secret-names.js';
import type { Source } from '../../shared/domain/model.js';
import type { EmailSettings, SmsSettings } from '../config.js';
import { TABLE_ACCESS, type TableAccess, tableDenials } from './table-access.js';

/** The repository root: entries, the lock file and tsconfig are resolved from here, not from cwd. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where a function's handler lives by convention. */
export const defaultEntry = (name: string): string =>
  path.join(PROJECT_ROOT, 'functions', name, 'handler.ts');

/**
 * SQS redelivers a message whose visibility timeout runs out while the consumer still works on it;
 * AWS recommends at least six times the function timeout so retries inside a batch fit.
 */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/**
 * Some dependencies (the X-Ray SDK among them) are CommonJS and call `require`, which an ES module
 * does not have; esbuild's shim defers to a global `require` when one exists.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as landlineCreateRequire } from 'node:module'; const require = landlineCreateRequire(import.meta.url);";

/**
 * The domestic SMS providers' SDKs: never bundled (each is large, and only the channel that uses it
 * loads it, with a dynamic import); a function whose channel needs one has it installed beside its
 * bundle (`nodeModules`, see smsNodeModules).
 */
export const SMS_PROVIDER_MODULES: Readonly<Record<'aliyun' | 'tencent', readonly string[]>> = {
  aliyun: ['@alicloud/dysmsapi20170525', '@alicloud/openapi-client'],
  tencent: ['tencentcloud-sdk-nodejs-sms'],
};

/** The modules to install beside a bundle for an SMS channel. */
export const smsNodeModules = (settings: SmsSettings): string[] =>
  settings.channel === 'aliyun' || settings.channel === 'tencent'
    ? [...SMS_PROVIDER_MODULES[settings.channel]]
    : [];

/** What zod resolves to in bundles; see the file for why. */
export const ZOD_BUNDLE_SHIM = path.join(PROJECT_ROOT, 'infra', 'constructs', 'zod-bundle-shim.ts');

/**
 * How every function is bundled; `npm run bundle:check` builds with these same options.
 * The AWS SDK v3 (`@aws-sdk/*`, lib-dynamodb included) ships with the nodejs22.x runtime and
 * resolves from ES modules there, so it stays out of the bundles; `@smithy/*` is bundled where a
 * dependency needs it, so no bundle depends on the runtime's SDK internals.
 */
export const LANDLINE_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  target: 'node22',
  tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
  externalModules: ['@aws-sdk/*', '@alicloud/*', 'tencentcloud-sdk-nodejs-*'],
  // Chinese text (place names, notification texts) stays UTF-8 instead of \uXXXX escapes: half the
  // bytes (~40 KB in route, sweep and the case API). Passed as an esbuild argument: this aws-cdk-lib's
  // NodejsFunction bundling ignores its own `charset` option.
  esbuildArgs: { '--alias': [`zod=${ZOD_BUNDLE_SHIM}`], '--charset': 'utf8' },
};

export interface LandlineFunctionProps {
  /** Short name (`intake`, `route`, …): the handler folder, the service tag and part of the description. */
  readonly name: string;
  /** Handler file; defaults to `functions/<name>/handler.ts`. Tests point it at a fixture. */
  readonly entry?: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly logLevel?: string;
  readonly logRetention?: RetentionDays;
  readonly description?: string;
  readonly environment?: Record<string, string>;
  /**
   * CloudWatch namespace of the business metrics (shared/observability.ts), one per deployment so
   * that two environments in one account never add up each other's figures. Default `landline`.
   */
  readonly metricsNamespace?: string;
  /**
   * The role's name. Named roles can be referred to before they exist: the reporter key's policy
   * (stateful stack) names the intake and case API roles (stateless stack) this way.
   */
  readonly roleName?: string;
  /** Active X-Ray tracing (default on); off where Lambda has no X-Ray (the China regions). */
  readonly tracing?: boolean;
  /** Modules installed beside the bundle instead of bundled (the SMS provider SDKs). */
  readonly nodeModules?: readonly string[];
  /** Concurrency kept for this function (and its ceiling). */
  readonly reservedConcurrentExecutions?: number;
  /** Escape hatch for anything else; applied last. */
  readonly overrides?: Partial<NodejsFunctionProps>;
}

/** The role name of function `name` in environment `envName`: `landline-<env>-<name>`. */
export const functionRoleName = (envName: string, name: string): string => `landline-${envName}-${name}`;

export const DEFAULT_TIMEOUT = Duration.seconds(10);

/**
 * CDK's grants on KMS-encrypted queues and topics use the wildcard actions `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*`; the resource is always the one messaging key, never `*`.
 */
const MESSAGING_KMS_FINDINGS = [
  'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
  'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
];

export class LandlineFunction extends NodejsFunction {
  readonly functionShortName: string;
  readonly executionRole: IRole;

  constructor(scope: Construct, id: string, props: LandlineFunctionProps) {
    const entry = props.entry ?? defaultEntry(props.name);
    if (!existsSync(entry)) {
      throw new Error(`Handler of function "${props.name}" not found: ${path.relative(PROJECT_ROOT, entry)}`);
    }
    // The log group is created before super() so that retention is ours, not a custom resource's.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every
    // log group in the account, this one only to the function's own.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `landline ${props.name} function`,
      ...(props.roleName ? { roleName: props.roleName } : {}),
    });
    const tracing = props.tracing ?? true;
    logGroup.grantWrite(role);
    super(scope, id, {
      entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description ?? `landline ${props.name}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      logGroup,
      role,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'landline',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'landline',
        LOG_LEVEL: props.logLevel ?? 'INFO',
        // Without X-Ray the tracer is not even loaded (shared/observability.ts).
        ...(tracing ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' }),
        ...props.environment,
      },
      bundling: props.nodeModules?.length
        ? { ...LANDLINE_BUNDLING, nodeModules: [...props.nodeModules] }
        : LANDLINE_BUNDLING,
      ...props.overrides,
    });
    this.functionShortName = props.name;
    this.executionRole = role;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to nodejs22.x on purpose: the code and its tests target Node 22; moving to a newer runtime is a deliberate, tested change.',
    });
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason:
        'The runtime is pinned to nodejs22.x on purpose: the code and its tests target Node 22; moving to a newer runtime is a deliberate, tested change.',
    });
    if (tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
      });
    } else {
      Validations.of(this).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason:
          'Lambda offers no X-Ray integration in this partition (the China regions); the functions log and write EMF metrics instead.',
      });
    }
  }

  /**
   * COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID: the console's people sign in with this pool, and
   * the API verifies their tokens against its public keys, which needs no permission.
   */
  bindUserPool(userPool: IUserPool, client: IUserPoolClient): this {
    this.addEnvironment('COGNITO_USER_POOL_ID', userPool.userPoolId);
    this.addEnvironment('COGNITO_CLIENT_ID', client.userPoolClientId);
    return this;
  }

  /**
   * TABLE_NAME with the table actions `access` lists (per function: table-access.ts) on the table
   * and its named indexes, and the denials every function carries (audit records append-only, API
   * tokens operators' only).
   */
  bindTable(table: ITable, access: TableAccess = TABLE_ACCESS.default): this {
    const writes = access.actions.some((action) => /Put|Update|Delete|BatchWrite/.test(action));
    this.grantTable(table, [...access.actions], writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []);
    for (const statement of tableDenials(table.tableArn, access)) this.addToRolePolicy(statement);
    return this;
  }

  /**
   * TABLE_NAME with GetItem on the table alone: intake's one read, a follow-up's tip anchor
   * (contract 9), and nothing to write or query.
   */
  bindTableRead(table: ITable): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
      }),
    );
    if (table.encryptionKey) {
      this.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['kms:Decrypt', 'kms:DescribeKey'],
          resources: [table.encryptionKey.keyArn],
        }),
      );
    }
    return this;
  }

  /** FEEDBACK_QUEUE_URL (contract 9): the sender re-queues its own retries, so it may send to it. */
  bindFeedbackQueue(queue: IQueue): this {
    this.addEnvironment('FEEDBACK_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this);
    this.acknowledgeMessagingKeyGrant();
    return this;
  }

  /**
   * FEEDBACK_ENDPOINT_ARN_<SOURCE> per source with read access: each source's feedback URL and
   * secret (contract 9). Only the ARN travels in the environment.
   */
  bindFeedbackEndpoints(secrets: Readonly<Partial<Record<Source, ISecret>>>): this {
    for (const [source, secret] of Object.entries(secrets)) {
      if (!secret) continue;
      this.addEnvironment(feedbackEndpointArnVariable(source as Source), secret.secretArn);
      secret.grantRead(this);
    }
    return this;
  }

  /**
   * The table and each of its named indexes, rather than CDK's `<table>/index/*`, so a new index
   * is granted only when the schema (and this code) names it.
   */
  private grantTable(table: ITable, actions: string[], extraKeyActions: string[]): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    const indexArns = Object.values(INDEXES).map((index) => `${table.tableArn}/index/${index.indexName}`);
    this.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [table.tableArn, ...indexArns] }),
    );
    if (table.encryptionKey) {
      this.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['kms:Decrypt', 'kms:DescribeKey', ...extraKeyActions],
          resources: [table.encryptionKey.keyArn],
        }),
      );
    }
    return this;
  }

  /** Records why the messaging key grants' wildcard actions are acceptable, on this role only. */
  private messagingKeyGrantAcknowledged = false;
  private acknowledgeMessagingKeyGrant(): void {
    if (this.messagingKeyGrantAcknowledged) return;
    this.messagingKeyGrantAcknowledged = true;
    for (const id of MESSAGING_KMS_FINDINGS) {
      Validations.of(this.executionRole).acknowledge({
        id,
        reason:
          "CDK's standard grant for a KMS-encrypted SQS queue or SNS topic; the actions apply only to the messaging key's ARN.",
      });
    }
  }

  /** INTAKE_QUEUE_URL with permission to send (and nothing else) to it. */
  bindIntakeQueue(queue: IQueue): this {
    this.addEnvironment('INTAKE_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this);
    this.acknowledgeMessagingKeyGrant();
    return this;
  }

  /** ASSIGNMENT_QUEUE_URLS as a JSON object target → queue URL, with send permission on each. */
  bindAssignmentQueues(queues: Readonly<Record<string, IQueue>>): this {
    const urls: Record<string, string> = {};
    for (const [target, queue] of Object.entries(queues)) {
      urls[target] = queue.queueUrl;
      queue.grantSendMessages(this);
    }
    this.addEnvironment('ASSIGNMENT_QUEUE_URLS', Stack.of(this).toJsonString(urls));
    this.acknowledgeMessagingKeyGrant();
    return this;
  }

  /** NOTIFY_MODE=sns and TOPIC_ARNS as a JSON object target → topic ARN, with publish on each. */
  bindTopics(topics: Readonly<Record<string, ITopic>>): this {
    const arns: Record<string, string> = {};
    for (const [target, topic] of Object.entries(topics)) {
      arns[target] = topic.topicArn;
      topic.grantPublish(this);
    }
    this.addEnvironment('NOTIFY_MODE', 'sns');
    this.addEnvironment('TOPIC_ARNS', Stack.of(this).toJsonString(arns));
    this.acknowledgeMessagingKeyGrant();
    return this;
  }

  /**
   * SOURCE_SECRET_ARN_<SOURCE> per source (`city-management` → `CITY_MANAGEMENT`) with read access.
   * Only the ARN travels in the environment; the value is fetched at start-up, never in config.
   */
  bindSourceSecrets(secrets: Readonly<Partial<Record<Source, ISecret>>>): this {
    for (const [source, secret] of Object.entries(secrets)) {
      if (!secret) continue;
      this.addEnvironment(sourceSecretArnVariable(source as Source), secret.secretArn);
      secret.grantRead(this);
    }
    return this;
  }

  /** CURSOR_KEY_ARN: the case API's cursor-signing key, read at run time, never in configuration. */
  bindCursorKey(secret: ISecret): this {
    this.addEnvironment('CURSOR_KEY_ARN', secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * REPORTER_KEY_ARN for the reporter vault: `seal` may only create data keys (intake), `open` may
   * only decrypt them (the case API), so no single function both writes and reads identities.
   */
  bindReporterKey(key: IKey, use: 'seal' | 'open'): this {
    this.addEnvironment('REPORTER_KEY_ARN', key.keyArn);
    // Only under the vault's encryption context: the key does nothing else for this role.
    this.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [use === 'seal' ? 'kms:GenerateDataKey' : 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: reporterKeyContextCondition() },
      }),
    );
    return this;
  }

  /**
   * The SMS channel (shared/composition/sms.ts): SMS_* variables, and per channel its grant: SNS
   * Publish straight to phone numbers, or the provider's credentials secret. The domestic
   * providers' SDKs come with the function (`nodeModules`, set where it is created).
   */
  bindSms(settings: SmsSettings, secret?: ISecret): this {
    this.addEnvironment('SMS_CHANNEL', settings.channel);
    switch (settings.channel) {
      case 'none':
        return this;
      case 'sns':
        if (settings.senderId) this.addEnvironment('SMS_SENDER_ID', settings.senderId);
        // Publishing to a phone number has no resource to name (topics are granted one by one).
        this.addToRolePolicy(
          new PolicyStatement({
            sid: 'SmsToPhoneNumbers',
            effect: Effect.ALLOW,
            actions: ['sns:Publish'],
            resources: ['*'],
          }),
        );
        Validations.of(this.executionRole).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'An SMS published straight to a phone number (SNS Publish with PhoneNumber) has no resource ARN, so sns:Publish for it can only be granted on *; X-Ray, where on, needs * as well.',
        });
        return this;
      case 'aliyun':
      case 'tencent': {
        if (!secret) throw new Error(`The ${settings.channel} SMS channel needs its credentials secret`);
        this.addEnvironment('SMS_SIGN_NAME', settings.signName);
        this.addEnvironment('SMS_TEMPLATE_IDS', JSON.stringify(settings.templateIds));
        this.addEnvironment('SMS_SECRET_ARN', secret.secretArn);
        secret.grantRead(this);
        if (settings.maxVariableChars !== undefined) {
          this.addEnvironment('SMS_MAX_VARIABLE_CHARS', String(settings.maxVariableChars));
        }
        if (settings.channel === 'tencent') {
          this.addEnvironment('SMS_SDK_APP_ID', settings.sdkAppId);
          this.addEnvironment('SMS_REGION', settings.apiRegion);
        }
        return this;
      }
    }
  }

  /** The e-mail channel: SES send rights on the sender's identity, or the SMTP relay's secret. */
  bindEmail(settings: EmailSettings, secret?: ISecret): this {
    this.addEnvironment('EMAIL_CHANNEL', settings.channel);
    if (settings.channel === 'topics') return this;
    this.addEnvironment('EMAIL_FROM', settings.from);
    if (settings.channel === 'ses') {
      if (settings.configurationSet) this.addEnvironment('SES_CONFIGURATION_SET', settings.configurationSet);
      const stack = Stack.of(this);
      const domain = settings.from.split('@')[1] ?? settings.from;
      this.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.from }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': settings.from } },
        }),
      );
      return this;
    }
    if (!secret) throw new Error('The smtp e-mail channel needs the relay account secret');
    this.addEnvironment('SMTP_HOST', settings.host);
    this.addEnvironment('SMTP_PORT', String(settings.port));
    this.addEnvironment('SMTP_SECURITY', settings.security);
    this.addEnvironment('SMTP_SECRET_ARN', secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * Consume `queue` with partial batch responses, so one poisoned message is retried (and
   * eventually dead-lettered) alone instead of taking its batch with it.
   */
  consume(
    queue: IQueue,
    options: { batchSize?: number; maxBatchingWindow?: Duration; maxConcurrency?: number } = {},
  ): this {
    assertVisibilityCoversTimeout(queue, this.timeoutSeconds);
    this.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize ?? 10,
        maxBatchingWindow: options.maxBatchingWindow,
        reportBatchItemFailures: true,
        ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
      }),
    );
    // SQS mappings take no on-failure destination: the queue's redrive policy is that destination.
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'An SQS event source mapping cannot have an on-failure destination; each consumed queue dead-letters after 5 receives (its redrive policy), which the DLQ alarms watch.',
    });
    this.acknowledgeMessagingKeyGrant();
    return this;
  }

  private get timeoutSeconds(): number {
    return (this.node.defaultChild as CfnFunction).timeout ?? 3;
  }
}

/** Fails the synth when a queue this stack owns would redeliver messages still being processed. */
function assertVisibilityCoversTimeout(queue: IQueue, timeoutSeconds: number): void {
  const cfn = queue.node.defaultChild;
  if (!(cfn instanceof CfnQueue)) return; // imported queue: not ours to check
  const visibility = typeof cfn.visibilityTimeout === 'number' ? cfn.visibilityTimeout : 30;
  if (visibility < VISIBILITY_TO_TIMEOUT_RATIO * timeoutSeconds) {
    throw new Error(
      `Queue ${queue.node.path} has visibility timeout ${visibility} s, less than ` +
        `${VISIBILITY_TO_TIMEOUT_RATIO} × the consumer's ${timeoutSeconds} s timeout`,
    );
  }
}

/** The condition under which the reporter key may be used at all: the vault's encryption context. */
export function reporterKeyContextCondition(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DATA_KEY_CONTEXT).map(([key, value]) => [`kms:EncryptionContext:${key}`, value]),
  );
}
