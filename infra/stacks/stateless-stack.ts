/**
 * Everything that can be recreated from code: queues, topics, the HTTP API, the functions, the
 * schedules and the alarms. Data, keys, dead letters and operator-entered secrets live in the
 * stateful stack; this stack only references them.
 *
 * What differs between partitions is decided from the configuration's region, never from the
 * environment's name: in the China regions (`aws-cn`) Lambda has no X-Ray, SNS sends no SMS (the
 * SMS channel is a domestic provider) and API Gateway's endpoint serves only after ICP recordal.
 *
 * Adding a function is `this.addFunction(name, …)` with its bindings, then `alarms.watchFunction`
 * (plus `watchHeartbeat` for a scheduled one): its role name, tracing, log group and alarms follow.
 */
import { Annotations, ArnFormat, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ComparisonOperator, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Source } from '../../shared/domain/model.js';
import { CASE_API_ROUTES, splitRouteKey } from '../../shared/http/case-api-routes.js';
import { REPORTS_API_ROUTES, splitReportsRouteKey } from '../../shared/http/reports-api-routes.js';
import { AMENDMENTS_UNAPPLIED_METRIC, SWEEP_CASE_FAILURES_METRIC } from '../../shared/observability.js';
import {
  SMS_CHANNEL_DIMENSION,
  SMS_FAILED_METRIC,
  SMS_SENT_METRIC,
  SMS_UNCONFIRMED_METRIC,
} from '../../shared/sms-metrics.js';
import {
  type EnvConfig,
  NOTIFICATION_TARGETS,
  type OperationsSubscribers,
  type Partition,
  partitionOf,
} from '../config.js';
import { ConsoleSite, type ConsoleUserPool } from '../constructs/console.js';
import { FeedbackSender } from '../constructs/feedback.js';
import {
  functionRoleName,
  LandlineFunction,
  smsNodeModules,
  VISIBILITY_TO_TIMEOUT_RATIO,
} from '../constructs/landline-function.js';
import { OperationsAlarms } from '../constructs/operations-alarms.js';
import { SnsSmsSettings } from '../constructs/sns-sms-settings.js';
import { TABLE_ACCESS } from '../constructs/table-access.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../function-timeouts.js';
import { pascal, QUEUES } from './stateful-stack.js';

export const FUNCTION_NAMES = [
  'intake',
  'route',
  'notify',
  'api',
  'sweep',
  'reports',
  'feedback',
  'receipts',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Per-function timeouts; queue visibility timeouts are derived from the consumers' values. */
export const FUNCTION_TIMEOUTS: Readonly<Record<FunctionName, Duration>> = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, Duration.seconds(FUNCTION_TIMEOUT_SECONDS[name])]),
) as Record<FunctionName, Duration>;

/** The HTTP surface of contract version 1 and the function that serves each route. */
export const API_ROUTES: readonly { method: HttpMethod; path: string; fn: 'intake' | 'api' | 'reports' }[] = [
  { method: HttpMethod.POST, path: '/v1/tips/{source}', fn: 'intake' },
  ...CASE_API_ROUTES.map((key) => {
    const [method, path] = splitRouteKey(key);
    return { method: method as HttpMethod, path, fn: 'api' as const };
  }),
  // Monthly reports and the assessment (contract section 8): their own function (exceljs).
  ...REPORTS_API_ROUTES.map((key) => {
    const [method, path] = splitReportsRouteKey(key);
    return { method: method as HttpMethod, path, fn: 'reports' as const };
  }),
];

/** How often the receipt check asks the SMS provider about pending SMS. */
export const RECEIPT_CHECK_RATE = Duration.minutes(5);

export interface StatelessStackProps extends StackProps {
  readonly config: EnvConfig;
  readonly table: ITable;
  readonly messagingKey: IKey;
  readonly reporterKey: IKey;
  /** By queue short name (stateful stack's QUEUES). */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly sourceSecrets: Readonly<Record<Source, ISecret>>;
  /** Each source's feedback endpoint `{url, secret}` (stateful stack); the feedback sender reads them. */
  readonly feedbackEndpointSecrets: Readonly<Record<Source, ISecret>>;
  readonly smsSecret?: ISecret;
  readonly smtpSecret?: ISecret;
  /** Who receives the alarms (context `operationsSubscribers`, never the repository). */
  readonly operationsSubscribers: OperationsSubscribers;
  /** Handler file per function; missing ones use `functions/<name>/handler.ts`. */
  readonly entries?: Partial<Record<FunctionName, string>>;
  /** The console's user pool (stateful stack): with it, the console is served and its JWTs accepted. */
  readonly consoleUsers?: ConsoleUserPool;
}

interface QueueWithDlq {
  readonly queue: Queue;
  readonly dlq: IQueue;
}

export type LandlineFunctions = Readonly<Record<Exclude<FunctionName, 'receipts'>, LandlineFunction>> & {
  /** Only where the SMS provider reports receipts. */
  readonly receipts?: LandlineFunction;
};

export class StatelessStack extends Stack {
  /** `aws-cn` for the China regions (from the configured region, known at synth time). */
  readonly landlinePartition: Partition;
  readonly functions: LandlineFunctions;
  readonly intakeQueue: QueueWithDlq;
  /** Assignment queues keyed by notification target: `bureau:<area>` and `brigade` (triage). */
  readonly assignmentQueues: Readonly<Record<string, QueueWithDlq>>;
  readonly topics: Readonly<Record<string, Topic>>;
  readonly operationsTopic: Topic;
  readonly alarms: OperationsAlarms;
  readonly api: HttpApi;
  private readonly config: EnvConfig;
  private readonly entries: Partial<Record<string, string>>;
  /** The console's site, when the stack was given its user pool. */
  readonly console?: ConsoleSite;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, messagingKey, reporterKey } = props;
    const prefix = `landline-${config.envName}`;
    this.config = config;
    this.entries = props.entries ?? {};
    this.landlinePartition = partitionOf(config.region);

    // Queues (names as in the runtime wiring, prefixed with the environment); dead letters are kept
    // in the stateful stack.
    const makeQueue = (name: string, consumer: FunctionName): QueueWithDlq => {
      const dlq = props.deadLetterQueues[name];
      if (!dlq) throw new Error(`No dead-letter queue for queue ${name} in the stateful stack`);
      const queue = new Queue(this, `${pascal(name)}Queue`, {
        queueName: `${prefix}-${name}`,
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: messagingKey,
        // Reusing the data key for 5 minutes keeps KMS calls (and cost) per message low.
        dataKeyReuse: Duration.minutes(5),
        enforceSSL: true,
        retentionPeriod: Duration.days(4),
        visibilityTimeout: Duration.seconds(
          FUNCTION_TIMEOUTS[consumer].toSeconds() * VISIBILITY_TO_TIMEOUT_RATIO,
        ),
        deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      });
      return { queue, dlq };
    };
    const intakeQueue = makeQueue('intake', 'route');
    const feedbackQueue = makeQueue('feedback', 'feedback');
    const assignmentQueues: Record<string, QueueWithDlq> = {};
    for (const { name, target } of QUEUES) {
      if (target) assignmentQueues[target] = makeQueue(name, 'notify');
    }

    // Topics: one per notification target (their e-mail subscribers are managed with
    // `npm run contacts`), plus operations for alarms.
    const makeTopic = (id: string, name: string, displayName: string): Topic =>
      new Topic(this, id, {
        topicName: `${prefix}-${name}`,
        displayName,
        masterKey: messagingKey,
        enforceSSL: true,
      });
    const topics: Record<string, Topic> = {};
    for (const target of NOTIFICATION_TARGETS) {
      const name = target.replace(':', '-');
      topics[target] = makeTopic(`${pascal(name)}Topic`, name, `landline ${target}`);
    }
    const operationsTopic = makeTopic('OperationsTopic', 'operations', 'landline operations');
    const alarms = new OperationsAlarms(this, 'Alarms', {
      topic: operationsTopic,
      prefix,
      settings: config.alarms,
      oldestMessageAlarmSeconds: config.oldestMessageAlarmSeconds,
    });
    // enforceSSL's policy holds only a Deny and replaces SNS's default policy: CloudWatch must be
    // let in explicitly, and only for this deployment's alarms.
    operationsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [operationsTopic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: alarms.alarmNamePattern,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
    for (const email of props.operationsSubscribers.emails) {
      operationsTopic.addSubscription(new EmailSubscription(email));
    }
    if (props.operationsSubscribers.emails.length + props.operationsSubscribers.phones.length > 0) {
      Validations.of(operationsTopic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'Alarm subscriptions are e-mail addresses and phones: SNS retries them on its own schedule, a message it could not deliver has nobody to be redriven to, and failed deliveries raise TopicDeliveryFailuresAlarm.',
      });
    }
    for (const phone of props.operationsSubscribers.phones) {
      if (this.landlinePartition === 'aws-cn') throw new Error('SNS sends no SMS in the China regions');
      operationsTopic.addSubscription(new SmsSubscription(phone));
    }

    // The key the case API signs page cursors with: generated here and never seen by anyone. Changing
    // it only makes clients that are paging start again from the first page.
    const cursorKey = new Secret(this, 'CursorKey', {
      secretName: `${prefix}/cursor-key`,
      description: `landline ${config.envName}: HMAC key of the case API's page cursors`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the cursor key only invalidates the page cursors handed out so far (clients start again from the first page); it protects no data and is rotated by hand (docs/operations.md) without a rotation Lambda.',
    });

    // Functions and their bindings: each gets exactly the names and permissions it uses.
    const queueUrls = mapValues(assignmentQueues, (q) => q.queue);
    const intake = this.addFunction('intake', {
      reservedConcurrentExecutions: config.reservedConcurrency?.intake,
      noDlq: 'synchronous',
    })
      .bindIntakeQueue(intakeQueue.queue)
      // A follow-up about an unknown tip is 404 (contract 9): one GetItem of the tip's anchor.
      .bindTableRead(table)
      .bindSourceSecrets(props.sourceSecrets)
      .bindReporterKey(reporterKey, 'seal');

    const route = this.addFunction('route', { noDlq: 'queue' })
      .bindTable(table, TABLE_ACCESS.route)
      .bindAssignmentQueues(queueUrls)
      .consume(intakeQueue.queue, { batchSize: 10 });

    const notify = this.addFunction('notify', { noDlq: 'queue', nodeModules: smsNodeModules(config.sms) })
      .bindTable(table, TABLE_ACCESS.notify)
      .bindTopics(topics)
      .bindSms(config.sms, props.smsSecret)
      .bindEmail(config.email, props.smtpSecret);
    for (const { queue } of Object.values(assignmentQueues)) {
      // A backlog on one bureau's queue takes at most this many notifiers, leaving concurrency to intake.
      notify.consume(queue, { batchSize: 10, maxConcurrency: config.notifyMaxConcurrency });
    }

    // The API hands reassigned cases to the new bureau's queue.
    const api = this.addFunction('api', {
      reservedConcurrentExecutions: config.reservedConcurrency?.api,
      noDlq: 'synchronous',
    })
      .bindTable(table, TABLE_ACCESS.api)
      .bindAssignmentQueues(queueUrls)
      .bindReporterKey(reporterKey, 'open')
      .bindCursorKey(cursorKey);

    // The sweeper hands escalations to the case's queue; the notifier sends them.
    const sweep = this.addFunction('sweep', { noDlq: 'scheduled' })
      .bindTable(table, TABLE_ACCESS.sweep)
      .bindAssignmentQueues(queueUrls);
    this.schedule('SweepSchedule', 'landline deadline sweep', sweep, Duration.minutes(1));

    // Reports read cases, patrols and the ledger, store submissions and hand their notices over.
    const reports = this.addFunction('reports', { noDlq: 'synchronous' })
      .bindTable(table, TABLE_ACCESS.reports)
      .bindAssignmentQueues(queueUrls);

    // Contract 9: the feedback sender, its queue and the sources' endpoint secrets.
    const feedback = new FeedbackSender(this, 'FeedbackSender', {
      fn: this.addFunction('feedback', { noDlq: 'queue' }),
      queue: feedbackQueue.queue,
      table,
      brigadeQueue: assignmentQueues.brigade!.queue,
      endpointSecrets: props.feedbackEndpointSecrets,
    }).fn;
    // The relay queues the deliveries whose time has come; a missed run is covered by the next.
    this.schedule('FeedbackRelaySchedule', 'landline feedback relay', feedback, Duration.minutes(1));

    // Receipts, where the provider reports them.
    let receipts: LandlineFunction | undefined;
    if (config.sms.channel === 'aliyun' || config.sms.channel === 'tencent') {
      receipts = this.addFunction('receipts', { noDlq: 'scheduled', nodeModules: smsNodeModules(config.sms) })
        .bindTable(table, TABLE_ACCESS.receipts)
        .bindSms(config.sms, props.smsSecret);
      this.schedule('ReceiptsSchedule', 'landline SMS receipt check', receipts, RECEIPT_CHECK_RATE);
    }

    // HTTP API with an explicit default stage, so throttling and access logs are ours to set.
    const httpApi = new HttpApi(this, 'HttpApi', {
      apiName: prefix,
      description: 'landline contract v1',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: config.logRetentionDays });
    new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiThrottle.rateLimit, burstLimit: config.apiThrottle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No query string or body: both may carry reporter data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integrations = {
      intake: new HttpLambdaIntegration('IntakeIntegration', intake),
      api: new HttpLambdaIntegration('ApiIntegration', api),
      reports: new HttpLambdaIntegration('ReportsIntegration', reports),
    };
    for (const route of API_ROUTES) {
      httpApi.addRoutes({ path: route.path, methods: [route.method], integration: integrations[route.fn] });
    }
    if (props.consoleUsers) {
      const site = new ConsoleSite(this, 'Console', {
        envName: config.envName,
        api: httpApi,
        users: props.consoleUsers,
      });
      api.bindUserPool(props.consoleUsers.userPool, site.client);
      this.console = site;
    }
    Validations.of(httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Authentication is part of the contract and done in the functions: intake verifies Standard Webhooks signatures (a per-source HMAC an API Gateway authorizer cannot check over the raw body), the case API verifies bearer tokens and applies per-principal, per-case authorization; /health and /openapi.json are public on purpose.',
    });
    if (this.landlinePartition === 'aws-cn') {
      Annotations.of(httpApi).addInfo(
        "China regions: the API's execute-api endpoint is reachable on 80/443 only once a custom domain with ICP recordal (ICP备案) is attached; or keep it private (a REST API with a VPC endpoint over the city's network). docs/operations.md, Deploy to cn-north-1.",
      );
    }
    if (!this.console) {
      Annotations.of(this).addInfo(
        'No cloud console here: Amazon Cognito user pools, CloudFront Functions and origin access control are not offered in this partition. The API serves the sources and token holders; docs/console.md, The console in the China regions.',
      );
    }

    // Alarms: anything dead-lettered, any queue falling behind, any function failing or throttled.
    for (const [name, pair] of [
      ['Intake', intakeQueue] as const,
      ...namedAssignmentQueues(assignmentQueues),
      ['Feedback', feedbackQueue] as const,
    ]) {
      alarms.watchQueue(name, pair.queue, pair.dlq);
    }
    const functions = {
      intake,
      route,
      notify,
      api,
      sweep,
      reports,
      feedback,
      ...(receipts ? { receipts } : {}),
    };
    for (const [name, fn] of Object.entries(functions)) alarms.watchFunction(name, fn);
    alarms.watchHeartbeat('sweep', sweep, config.alarms.sweepSilenceMinutes);
    if (receipts) alarms.watchHeartbeat('receipts', receipts, 2 * RECEIPT_CHECK_RATE.toMinutes() + 5);

    // Business metrics the functions write as EMF (shared/observability.ts: the names, and the
    // `service` dimension Powertools adds to every metric).
    const businessMetric = (metricName: string, dimensions: Record<string, string> = {}, period = 5) =>
      new Metric({
        namespace: prefix,
        metricName,
        dimensionsMap: { service: 'landline', ...dimensions },
        statistic: 'Sum',
        period: Duration.minutes(period),
      });
    alarms.add(
      'SweepCaseFailuresAlarm',
      businessMetric(SWEEP_CASE_FAILURES_METRIC),
      0,
      'The deadline sweeper failed on a case (logged with its id); the case is retried with back-off and the rest of the sweep went on.',
    );
    alarms.add(
      'AmendmentsUnappliedAlarm',
      businessMetric(AMENDMENTS_UNAPPLIED_METRIC),
      0,
      'A source amended a tip whose case is at its size budget: the amendment is kept beside the case (listed with its events, logged with tip and case id), not applied; look at the case.',
    );
    alarms.add(
      'HttpApi5xxAlarm',
      httpApi.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' }),
      0,
      'The HTTP API answered 5xx',
    );

    // SMS: what every channel reports, and what SNS measures itself in a global region.
    if (config.sms.channel !== 'none') {
      const channel = { [SMS_CHANNEL_DIMENSION]: config.sms.channel };
      alarms.add(
        'SmsFailedAlarm',
        businessMetric(SMS_FAILED_METRIC, channel),
        0,
        'An SMS was refused by the provider or its receipt says it was not delivered (recorded on the notification: sms:<phoneRef> failed); the notify/receipts logs name the notification.',
      );
      alarms.add(
        'SmsVolumeAlarm',
        businessMetric(SMS_SENT_METRIC, channel, 60),
        config.alarms.smsPerHour,
        `More than ${config.alarms.smsPerHour} SMS in an hour: a loop, a flood of cases, or spend running away.`,
      );
    }
    if (receipts) {
      alarms.add(
        'SmsUnconfirmedAlarm',
        businessMetric(SMS_UNCONFIRMED_METRIC, { [SMS_CHANNEL_DIMENSION]: config.sms.channel }),
        0,
        'An SMS has had no delivery receipt for 30 minutes (recorded: sms:<phoneRef> unconfirmed); the officer may not have it.',
      );
    }
    if (config.sms.channel === 'sns') {
      new SnsSmsSettings(this, 'SmsSettings', {
        monthlySpendLimitUsd: config.sms.monthlySpendLimitUsd,
        logRetention: config.logRetentionDays,
      });
      alarms.add(
        'SmsSpendAlarm',
        new Metric({
          namespace: 'AWS/SNS',
          metricName: 'SMSMonthToDateSpentUSD',
          statistic: 'Maximum',
          period: Duration.hours(1),
        }),
        0.8 * config.sms.monthlySpendLimitUsd,
        `SMS spend this month passed 80 % of the US$${config.sms.monthlySpendLimitUsd} limit; at the limit SNS stops sending SMS.`,
      );
      alarms.add(
        'SmsDeliveryFailuresAlarm',
        new Metric({
          namespace: 'AWS/SNS',
          metricName: 'NumberOfNotificationsFailed',
          dimensionsMap: { PhoneNumber: 'PhoneNumberDirect' },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        0,
        'SNS could not deliver an SMS to a phone (the carrier refused or it timed out); its delivery status log (sns/<region>/<account>/DirectPublishToPhoneNumber/Failure) gives the number and reason.',
      );
    }
    this.watchTopicDeliveries(alarms, topics);

    this.functions = functions;
    this.intakeQueue = intakeQueue;
    this.assignmentQueues = assignmentQueues;
    this.topics = topics;
    this.operationsTopic = operationsTopic;
    this.alarms = alarms;
    this.api = httpApi;
  }

  /**
   * A function with this deployment's defaults: named role (`landline-<env>-<name>`), tracing where
   * the partition has X-Ray, the environment's log level and retention, and an acknowledgement of why
   * it needs no Lambda DLQ.
   */
  addFunction(
    name: string,
    options: {
      reservedConcurrentExecutions?: number;
      nodeModules?: readonly string[];
      /** Why no Lambda DLQ: a synchronous caller gets the error, a queue has its own, a schedule runs again. */
      noDlq: 'synchronous' | 'queue' | 'scheduled';
    },
  ): LandlineFunction {
    const config = this.config;
    const fn = new LandlineFunction(this, `${capitalize(name)}Function`, {
      name,
      entry: this.entries[name],
      roleName: functionRoleName(config.envName, name),
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[name as FunctionName] ?? 10),
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      metricsNamespace: `landline-${config.envName}`,
      tracing: this.landlinePartition === 'aws',
      ...(options.nodeModules?.length ? { nodeModules: options.nodeModules } : {}),
      ...(options.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: options.reservedConcurrentExecutions }
        : {}),
    });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: {
        synchronous:
          'Invoked synchronously by API Gateway: a failure is answered to the caller (503, which sources retry), there is no event to dead-letter.',
        queue:
          'Invoked by an SQS event source mapping: a message that keeps failing is dead-lettered by its queue (5 receives), which the DLQ alarms watch; a Lambda DLQ applies only to asynchronous invocations.',
        scheduled:
          'Invoked by a schedule: a failed run is followed by the next one (every minute or five), which does the same work; the heartbeat and error-rate alarms watch it.',
      }[options.noDlq],
    });
    return fn;
  }

  /** A schedule invoking `fn` every `rate`; a missed run is covered by the next, never retried. */
  private schedule(id: string, description: string, fn: LandlineFunction, rate: Duration): void {
    const rule = new Rule(this, id, {
      description,
      schedule: Schedule.rate(rate),
      // A missed run is covered by the next one; retrying it would only overlap.
      targets: [new LambdaFunction(fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    Validations.of(rule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        'A scheduled run that cannot be delivered is not worth keeping: the next run does the same work, and the heartbeat alarm fires when runs stop succeeding.',
    });
  }

  /**
   * E-mail (and any other protocol) deliveries a topic could not make, per group of topics: a math
   * expression takes at most 10 metrics.
   */
  private watchTopicDeliveries(alarms: OperationsAlarms, topics: Record<string, Topic>): void {
    const all = Object.values(topics);
    for (let start = 0, group = 1; start < all.length; start += 10, group++) {
      const members = all.slice(start, start + 10);
      const usingMetrics = Object.fromEntries(
        members.map((topic, index) => [
          `t${index}`,
          topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        ]),
      );
      alarms.add(
        `TopicDeliveryFailuresAlarm${group}`,
        new MathExpression({
          expression: Object.keys(usingMetrics)
            .map((key) => `FILL(${key}, 0)`)
            .join(' + '),
          usingMetrics,
          period: Duration.minutes(5),
          label: 'failed topic deliveries',
        }),
        0,
        'A notification topic could not deliver to a subscriber (an e-mail address bouncing, or unconfirmed); check the topic’s subscriptions (npm run contacts -- list).',
        { comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD },
      );
    }
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}

function namedAssignmentQueues(queues: Readonly<Record<string, QueueWithDlq>>): [string, QueueWithDlq][] {
  return Object.entries(queues).map(([target, q]) => [pascal(target === 'brigade' ? 'triage' : target), q]);
}
