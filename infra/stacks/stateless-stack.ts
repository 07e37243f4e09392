/**
 * Everything that can be recreated from code: queues, topics, the HTTP API, the functions, the
 * schedule and the alarms. Data lives in the stateful stack; this stack only references it.
 */
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AREA_IDS, SOURCES, type Source } from '../../shared/domain/model.js';
import { CASE_API_ROUTES, splitRouteKey } from '../../shared/http/case-api-routes.js';
import { type EnvConfig, NOTIFICATION_TARGETS, type SubscriptionTarget } from '../config.js';
import { ConsoleSite, type ConsoleUserPool } from '../constructs/console.js';
import { LandlineFunction, VISIBILITY_TO_TIMEOUT_RATIO } from '../constructs/landline-function.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../function-timeouts.js';

export const FUNCTION_NAMES = ['intake', 'route', 'notify', 'api', 'sweep'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Per-function timeouts; queue visibility timeouts are derived from the consumers' values. */
export const FUNCTION_TIMEOUTS: Readonly<Record<FunctionName, Duration>> = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, Duration.seconds(FUNCTION_TIMEOUT_SECONDS[name])]),
) as Record<FunctionName, Duration>;

/** The HTTP surface of contract version 1 and the function that serves each route. */
export const API_ROUTES: readonly { method: HttpMethod; path: string; fn: 'intake' | 'api' }[] = [
  { method: HttpMethod.POST, path: '/v1/tips/{source}', fn: 'intake' },
  ...CASE_API_ROUTES.map((key) => {
    const [method, path] = splitRouteKey(key);
    return { method: method as HttpMethod, path, fn: 'api' as const };
  }),
];

export interface StatelessStackProps extends StackProps {
  readonly config: EnvConfig;
  readonly table: ITable;
  readonly messagingKey: IKey;
  readonly reporterKey: IKey;
  /** Handler file per function; missing ones use `functions/<name>/handler.ts`. */
  readonly entries?: Partial<Record<FunctionName, string>>;
  /** The console's user pool (stateful stack): with it, the console is served and its JWTs accepted. */
  readonly consoleUsers?: ConsoleUserPool;
}

interface QueueWithDlq {
  readonly queue: Queue;
  readonly dlq: Queue;
}

export class StatelessStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, LandlineFunction>>;
  readonly intakeQueue: QueueWithDlq;
  /** Assignment queues keyed by notification target: `bureau:<area>` and `brigade` (triage). */
  readonly assignmentQueues: Readonly<Record<string, QueueWithDlq>>;
  readonly topics: Readonly<Record<string, Topic>>;
  readonly operationsTopic: Topic;
  readonly api: HttpApi;
  /** The console's site, when the stack was given its user pool. */
  readonly console?: ConsoleSite;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, messagingKey, reporterKey } = props;
    const prefix = `landline-${config.envName}`;

    const makeFunction = (name: FunctionName): LandlineFunction =>
      new LandlineFunction(this, `${capitalize(name)}Function`, {
        name,
        entry: props.entries?.[name],
        timeout: FUNCTION_TIMEOUTS[name],
        logLevel: config.logLevel,
        logRetention: config.logRetentionDays,
        metricsNamespace: prefix,
      });

    const makeQueue = (id: string, name: string, consumer: FunctionName): QueueWithDlq => {
      const dlq = new Queue(this, `${id}Dlq`, {
        queueName: `${prefix}-${name}-dlq`,
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: messagingKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const queue = new Queue(this, id, {
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

    // Queues (names as in the runtime wiring, prefixed with the environment).
    const intakeQueue = makeQueue('IntakeQueue', 'intake', 'route');
    const assignmentQueues: Record<string, QueueWithDlq> = {};
    for (const area of AREA_IDS) {
      assignmentQueues[`bureau:${area}`] = makeQueue(
        `Bureau${capitalize(area)}Queue`,
        `bureau-${area}`,
        'notify',
      );
    }
    assignmentQueues.brigade = makeQueue('TriageQueue', 'triage', 'notify');

    // Topics: one per notification target, plus operations for alarms.
    const makeTopic = (id: string, name: string, target: SubscriptionTarget): Topic => {
      const topic = new Topic(this, id, {
        topicName: `${prefix}-${name}`,
        displayName: `landline ${target}`,
        masterKey: messagingKey,
        enforceSSL: true,
      });
      const subscribers = config.subscriptions[target];
      for (const email of subscribers?.emails ?? []) topic.addSubscription(new EmailSubscription(email));
      const smsKinds = target === 'operations' ? undefined : subscribers?.smsKinds;
      // Each protocol already gets its own body from the notifier; only the choice of kinds is ours.
      const smsFilter = smsKinds
        ? { kind: SubscriptionFilter.stringFilter({ allowlist: [...smsKinds] }) }
        : undefined;
      for (const phone of subscribers?.phones ?? []) {
        topic.addSubscription(new SmsSubscription(phone, { filterPolicy: smsFilter }));
      }
      return topic;
    };
    const topics: Record<string, Topic> = {};
    for (const target of NOTIFICATION_TARGETS) {
      const name = target.replace(':', '-');
      topics[target] = makeTopic(`${pascal(name)}Topic`, name, target);
    }
    const operationsTopic = makeTopic('OperationsTopic', 'operations', 'operations');

    // Source secrets: a generated placeholder until the operator stores the real `whsec_…` value
    // agreed with the source. Rotation is coordinated with each source system (Standard Webhooks
    // accepts several secrets at once), so there is no rotation Lambda; see the acknowledgement.
    const sourceSecrets: Partial<Record<Source, Secret>> = {};
    for (const source of SOURCES) {
      sourceSecrets[source] = new Secret(this, `SourceSecret${pascal(source)}`, {
        secretName: `${prefix}/source/${source}`,
        description: `landline ${config.envName}: Standard Webhooks secret(s) of source ${source}`,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
      });
      Validations.of(sourceSecrets[source]).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The secret is shared with an external source system, so it is rotated by agreement with that system: the new secret is added beside the old one (Standard Webhooks verifies any of several), then the old one is removed. A rotation Lambda cannot update the source system.',
      });
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
    const intake = makeFunction('intake')
      .bindIntakeQueue(intakeQueue.queue)
      .bindSourceSecrets(sourceSecrets)
      .bindReporterKey(reporterKey, 'seal');

    const route = makeFunction('route')
      .bindTable(table)
      .bindAssignmentQueues(mapValues(assignmentQueues, (q) => q.queue))
      .consume(intakeQueue.queue, { batchSize: 10 });

    const notify = makeFunction('notify').bindTable(table).bindTopics(topics);
    for (const { queue } of Object.values(assignmentQueues)) notify.consume(queue, { batchSize: 10 });

    // The API hands reassigned cases to the new bureau's queue.
    const api = makeFunction('api')
      .bindTable(table)
      .bindAssignmentQueues(mapValues(assignmentQueues, (q) => q.queue))
      .bindReporterKey(reporterKey, 'open')
      .bindCursorKey(cursorKey);

    // The sweeper hands escalations to the case's queue; the notifier sends them.
    const sweep = makeFunction('sweep')
      .bindTable(table)
      .bindAssignmentQueues(mapValues(assignmentQueues, (q) => q.queue));
    new Rule(this, 'SweepSchedule', {
      description: 'landline deadline sweep',
      schedule: Schedule.rate(Duration.minutes(1)),
      // A missed sweep is covered by the next one a minute later; retrying it would only overlap.
      targets: [new LambdaFunction(sweep, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });

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

    // Alarms: anything dead-lettered, any queue falling behind, any function failing or throttled.
    const alarmAction = new SnsAction(operationsTopic);
    const alarm = (id: string, metric: IMetric, threshold: number, description: string): Alarm => {
      const created = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(alarmAction);
      return created;
    };
    const allQueues: [string, QueueWithDlq][] = [
      ['Intake', intakeQueue],
      ...namedAssignmentQueues(assignmentQueues),
    ];
    for (const [name, { queue, dlq }] of allQueues) {
      alarm(
        `${name}DlqDepthAlarm`,
        dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
        `Messages were dead-lettered from ${queue.node.id}; inspect and redrive.`,
      );
      alarm(
        `${name}OldestMessageAlarm`,
        queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
        config.oldestMessageAlarmSeconds,
        `${queue.node.id} is falling behind (oldest message older than ${config.oldestMessageAlarmSeconds} s).`,
      );
    }
    const functions = { intake, route, notify, api, sweep };
    for (const [name, fn] of Object.entries(functions)) {
      alarm(
        `${capitalize(name)}ErrorsAlarm`,
        fn.metricErrors({ period: Duration.minutes(1) }),
        0,
        `${name} function errors`,
      );
      alarm(
        `${capitalize(name)}ThrottlesAlarm`,
        fn.metricThrottles({ period: Duration.minutes(1) }),
        0,
        `${name} function throttled`,
      );
    }
    // Business metrics the functions write as EMF (shared/observability.ts: the names, and the
    // `service` dimension Powertools adds to every metric).
    const businessMetric = (metricName: string) =>
      new Metric({
        namespace: prefix,
        metricName,
        dimensionsMap: { service: 'landline' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    alarm(
      'SweepCaseFailuresAlarm',
      businessMetric('SweepCaseFailures'),
      0,
      'The deadline sweeper failed on a case (logged with its id); the case is retried with back-off and the rest of the sweep went on.',
    );
    alarm(
      'AmendmentsUnappliedAlarm',
      businessMetric('AmendmentsUnapplied'),
      0,
      'A source amended a tip whose case is at its size budget: the amendment is kept beside the case (listed with its events, logged with tip and case id), not applied; look at the case.',
    );
    alarm(
      'HttpApi5xxAlarm',
      httpApi.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' }),
      0,
      'The HTTP API answered 5xx',
    );

    this.functions = functions;
    this.intakeQueue = intakeQueue;
    this.assignmentQueues = assignmentQueues;
    this.topics = topics;
    this.operationsTopic = operationsTopic;
    this.api = httpApi;
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const pascal = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .map(capitalize)
    .join('');

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}

function namedAssignmentQueues(queues: Readonly<Record<string, QueueWithDlq>>): [string, QueueWithDlq][] {
  return Object.entries(queues).map(([target, q]) => [pascal(target === 'brigade' ? 'triage' : target), q]);
}
