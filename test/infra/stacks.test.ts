import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LandlineApp } from '../../infra/app.js';
import { type EnvConfig, loadConfig } from '../../infra/config.js';
import { LANDLINE_BUNDLING, LandlineFunction } from '../../infra/constructs/landline-function.js';
import { StatefulStack } from '../../infra/stacks/stateful-stack.js';
import { API_ROUTES, FUNCTION_NAMES, StatelessStack } from '../../infra/stacks/stateless-stack.js';
import { INDEXES } from '../../shared/adapters/table-schema.js';
import { AREA_IDS, PARTNER_DEPARTMENTS } from '../../shared/domain/model.js';
import { AMENDMENTS_UNAPPLIED_METRIC, SWEEP_CASE_FAILURES_METRIC } from '../../shared/observability.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));
const FIXTURE_ENTRIES = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, FIXTURE]));
/** Skips esbuild for every stack: these tests look at templates, not bundles. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }
>;

let built: LandlineApp;
let stateful: Template;
let stateless: Template;
let statelessResources: Resources;

const ofType = (type: string): [string, Resources[string]][] =>
  Object.entries(statelessResources).filter(([, r]) => r.Type === type);

beforeAll(() => {
  built = buildApp({ app: new App({ context: NO_BUNDLING }), envName: 'dev', entries: FIXTURE_ENTRIES });
  // Synthesis runs the cdk-nag plugin; an unacknowledged error would throw here.
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  statelessResources = stateless.toJSON().Resources as Resources;
});

describe('stateful stack', () => {
  it('names the stacks after the environment', () => {
    expect(built.stateful.stackName).toBe('Landline-dev-Stateful');
    expect(built.stateless.stackName).toBe('Landline-dev-Stateless');
  });

  it('creates the table from the shared schema: keys, GSIs, on-demand, PITR, protection, CMK, retained', () => {
    stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
    stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        GlobalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    });
  });

  it('encrypts the table with its own rotating, retained key', () => {
    const table = Object.values(stateful.findResources('AWS::DynamoDB::Table'))[0] as {
      Properties: { SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [string, string] } } };
    };
    const keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
    const keys = stateful.findResources('AWS::KMS::Key');
    expect(keys[keyId]).toBeDefined();
    expect(Object.keys(keys)).toHaveLength(3);
    for (const key of Object.values(keys)) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  it('lets CloudWatch use the messaging key (alarms publish to an encrypted topic)', () => {
    stateful.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('SQS queues and SNS topics'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });
});

describe('queues', () => {
  const mainQueues = () => ofType('AWS::SQS::Queue').filter(([, q]) => q.Properties.RedrivePolicy);
  const deadLetterQueues = () => ofType('AWS::SQS::Queue').filter(([, q]) => !q.Properties.RedrivePolicy);

  it('has intake, one per bureau and triage, each with its own DLQ', () => {
    expect(mainQueues()).toHaveLength(1 + AREA_IDS.length + 1);
    expect(deadLetterQueues()).toHaveLength(1 + AREA_IDS.length + 1);
    const names = mainQueues().map(([, q]) => q.Properties.QueueName);
    expect(names).toEqual(
      expect.arrayContaining([
        'landline-dev-intake',
        'landline-dev-triage',
        ...AREA_IDS.map((area) => `landline-dev-bureau-${area}`),
      ]),
    );
    const dlqTargets = new Set(
      mainQueues().map(
        ([, q]) => (q.Properties.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn,
      ),
    );
    expect(dlqTargets.size).toBe(mainQueues().length);
  });

  it('redrives after 5 receives and keeps dead letters for 14 days', () => {
    for (const [, q] of mainQueues()) {
      expect((q.Properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBe(5);
    }
    for (const [, q] of deadLetterQueues()) expect(q.Properties.MessageRetentionPeriod).toBe(1_209_600);
  });

  it('encrypts every queue with the messaging key', () => {
    for (const [, q] of ofType('AWS::SQS::Queue')) {
      expect(q.Properties.KmsMasterKeyId).toEqual({
        'Fn::ImportValue': expect.stringMatching(/MessagingKey/),
      });
    }
  });

  it('denies non-TLS access on every queue', () => {
    const queues = ofType('AWS::SQS::Queue').map(([id]) => id);
    const protectedQueues = ofType('AWS::SQS::QueuePolicy')
      .filter(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes(
          '"Condition":{"Bool":{"aws:SecureTransport":"false"}}',
        ),
      )
      .flatMap(([, p]) => (p.Properties.Queues as { Ref: string }[]).map((q) => q.Ref));
    expect(protectedQueues.sort()).toEqual(queues.sort());
  });

  it('gives each queue a visibility timeout of at least 6 × its consumer timeout', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBe(1 + AREA_IDS.length + 1);
    for (const [, mapping] of mappings) {
      const queueId = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const functionId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
      const visibility = statelessResources[queueId]?.Properties.VisibilityTimeout as number;
      const timeout = statelessResources[functionId]?.Properties.Timeout as number;
      expect(timeout).toBeGreaterThan(0);
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('consumes with partial batch responses: route the intake queue, notify every assignment queue', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    for (const [, m] of mappings)
      expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const consumerOf = (queueName: string) => {
      const [queueId] = ofType('AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === queueName)!;
      const mapping = mappings.find(
        ([, m]) => (m.Properties.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0] === queueId,
      );
      return (mapping?.[1].Properties.FunctionName as { Ref: string } | undefined)?.Ref;
    };
    expect(consumerOf('landline-dev-intake')).toMatch(/^RouteFunction/);
    expect(consumerOf('landline-dev-triage')).toMatch(/^NotifyFunction/);
    for (const area of AREA_IDS) expect(consumerOf(`landline-dev-bureau-${area}`)).toMatch(/^NotifyFunction/);
  });
});

describe('topics', () => {
  it('has one per bureau, partner, town, the brigade and operations, all KMS-encrypted', () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(AREA_IDS.length * 2 + PARTNER_DEPARTMENTS.length + 2);
    const names = topics.map(([, t]) => t.Properties.TopicName);
    expect(names).toEqual(
      expect.arrayContaining([
        'landline-dev-brigade',
        'landline-dev-operations',
        ...AREA_IDS.flatMap((area) => [`landline-dev-bureau-${area}`, `landline-dev-town-${area}`]),
        ...PARTNER_DEPARTMENTS.map((dept) => `landline-dev-partner-${dept}`),
      ]),
    );
    for (const [, t] of topics) {
      expect(t.Properties.KmsMasterKeyId).toEqual({
        'Fn::ImportValue': expect.stringMatching(/MessagingKey/),
      });
    }
  });

  it('denies non-TLS publishing on every topic', () => {
    const topics = ofType('AWS::SNS::Topic').map(([id]) => id);
    const protectedTopics = ofType('AWS::SNS::TopicPolicy')
      .filter(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
      )
      .flatMap(([, p]) => (p.Properties.Topics as { Ref: string }[]).map((t) => t.Ref));
    expect(protectedTopics.sort()).toEqual(topics.sort());
  });

  it('has no subscribers by default', () => {
    stateless.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('functions', () => {
  it('runs five functions on nodejs22.x, arm64, traced, 512 MB, with the common environment', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([id]) => id.replace(/Function.*$/, '').toLowerCase()).sort()).toEqual(
      [...FUNCTION_NAMES].sort(),
    );
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'landline',
            LOG_LEVEL: 'DEBUG',
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
    }
  });

  it("bundles as a minified ES module with source maps, leaving the runtime's AWS SDK v3 out", () => {
    expect(LANDLINE_BUNDLING).toMatchObject({
      format: 'esm',
      minify: true,
      sourceMap: true,
      target: 'node22',
      externalModules: ['@aws-sdk/*'],
    });
  });

  it('dead-letters a message only after at least 5 receives', () => {
    for (const [, q] of ofType('AWS::SQS::Queue').filter(([, q]) => q.Properties.RedrivePolicy)) {
      expect(
        (q.Properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount,
      ).toBeGreaterThanOrEqual(5);
    }
  });

  it('keeps logs for a month', () => {
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('binds each function to exactly the names it reads', () => {
    const env = (name: string) => {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(name))!;
      return Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
    };
    const common = ['LOG_LEVEL', 'NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];
    expect(env('IntakeFunction').sort()).toEqual(
      [
        ...common,
        'INTAKE_QUEUE_URL',
        'REPORTER_KEY_ARN',
        'SOURCE_SECRET_ARN_12336',
        'SOURCE_SECRET_ARN_12345',
        'SOURCE_SECRET_ARN_CITY_MANAGEMENT',
      ].sort(),
    );
    expect(env('RouteFunction').sort()).toEqual([...common, 'ASSIGNMENT_QUEUE_URLS', 'TABLE_NAME'].sort());
    expect(env('NotifyFunction').sort()).toEqual(
      [...common, 'NOTIFY_MODE', 'TABLE_NAME', 'TOPIC_ARNS'].sort(),
    );
    expect(env('ApiFunction').sort()).toEqual(
      [
        ...common,
        'ASSIGNMENT_QUEUE_URLS',
        'COGNITO_CLIENT_ID',
        'COGNITO_USER_POOL_ID',
        'CURSOR_KEY_ARN',
        'REPORTER_KEY_ARN',
        'TABLE_NAME',
      ].sort(),
    );
    expect(env('SweepFunction').sort()).toEqual([...common, 'ASSIGNMENT_QUEUE_URLS', 'TABLE_NAME'].sort());
  });

  it("writes every function's business metrics to its environment's own namespace", () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('landline-dev');
    }
  });

  it('passes the assignment queues and topics as JSON objects keyed by target', () => {
    const variable = (fnPrefix: string, name: string): string => {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(fnPrefix))!;
      const value = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[name];
      // Resolve the Fn::Join into text with placeholder values, then parse it as the handler will.
      const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      return parts.map((part) => (typeof part === 'string' ? part : 'X')).join('');
    };
    const queues = JSON.parse(variable('RouteFunction', 'ASSIGNMENT_QUEUE_URLS')) as Record<string, string>;
    expect(Object.keys(queues).sort()).toEqual([...AREA_IDS.map((a) => `bureau:${a}`), 'brigade'].sort());
    const topics = JSON.parse(variable('NotifyFunction', 'TOPIC_ARNS')) as Record<string, string>;
    expect(Object.keys(topics).sort()).toEqual(
      [
        ...AREA_IDS.map((a) => `bureau:${a}`),
        ...PARTNER_DEPARTMENTS.map((d) => `partner:${d}`),
        ...AREA_IDS.map((a) => `town:${a}`),
        'brigade',
      ].sort(),
    );
  });

  it('grants table access on the table and its named indexes only, never index/*', () => {
    const policies = JSON.stringify(ofType('AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument));
    expect(policies).not.toContain('/index/*');
    for (const index of Object.values(INDEXES)) expect(policies).toContain(`/index/${index.indexName}`);
    const intakePolicy = ofType('AWS::IAM::Policy').find(([id]) => id.startsWith('IntakeFunction'))!;
    expect(JSON.stringify(intakePolicy[1].Properties.PolicyDocument)).not.toContain('dynamodb:');
  });

  it('uses no AWS managed policy for function roles', () => {
    for (const [, role] of ofType('AWS::IAM::Role'))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('sweeps every minute', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweepFunction'), 'Arn'] } }),
      ],
    });
  });

  it('keeps one generated secret per source, and the cursor key', () => {
    stateless.resourceCountIs('AWS::SecretsManager::Secret', 4);
    stateless.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'landline-dev/cursor-key',
      GenerateSecretString: Match.anyValue(),
    });
    for (const source of ['12336', '12345', 'city-management']) {
      stateless.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `landline-dev/source/${source}`,
        GenerateSecretString: Match.anyValue(),
      });
    }
  });
});

describe('secrets, tokens and the calendar', () => {
  const policyOf = (fnPrefix: string): string => {
    const [, policy] = ofType('AWS::IAM::Policy').find(([id]) => id.startsWith(fnPrefix))!;
    return JSON.stringify(policy.Properties.PolicyDocument);
  };

  it('lets intake read each source secret and the API the cursor key, and nobody else read any', () => {
    const secretIds = ofType('AWS::SecretsManager::Secret').map(([id]) => id);
    const cursorKeyId = secretIds.find((id) => id.startsWith('CursorKey'))!;
    const intake = policyOf('IntakeFunction');
    expect(intake).toContain('secretsmanager:GetSecretValue');
    for (const id of secretIds.filter((id) => id !== cursorKeyId)) expect(intake).toContain(`"Ref":"${id}"`);
    expect(intake).not.toContain(`"Ref":"${cursorKeyId}"`);
    const api = policyOf('ApiFunction');
    expect(api).toContain(`"Ref":"${cursorKeyId}"`);
    for (const id of secretIds.filter((id) => id !== cursorKeyId)) expect(api).not.toContain(`"Ref":"${id}"`);
    for (const other of ['RouteFunction', 'NotifyFunction', 'SweepFunction']) {
      expect(policyOf(other)).not.toContain('secretsmanager:');
    }
  });

  it('passes no secret or token values in any environment (API tokens live hashed in the table)', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const names = Object.keys(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      expect(names, id).not.toContain('API_TOKENS');
      expect(
        names.filter((n) => /^SOURCE_SECRET_(?!ARN_)/.test(n)),
        id,
      ).toEqual([]);
    }
  });

  it('keeps the working-day calendar in the table (calendar:load), with no SSM parameter or grant', () => {
    expect(ofType('AWS::SSM::Parameter')).toEqual([]);
    for (const fn of ['IntakeFunction', 'RouteFunction', 'NotifyFunction', 'ApiFunction', 'SweepFunction']) {
      expect(policyOf(fn)).not.toContain('ssm:');
    }
  });
});

describe('HTTP API', () => {
  it('routes every contract path to its function', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration'));
    const functionOf = (routeKey: string): string => {
      const [, route] = routes.find(([, r]) => r.Properties.RouteKey === routeKey)!;
      const integrationId = (route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })[
        'Fn::Join'
      ][1][1].Ref;
      const uri = integrations[integrationId]!.Properties.IntegrationUri as { 'Fn::GetAtt': [string] };
      return uri['Fn::GetAtt'][0];
    };
    expect(functionOf('POST /v1/tips/{source}')).toMatch(/^IntakeFunction/);
    expect(functionOf('GET /v1/cases/{caseId}')).toMatch(/^ApiFunction/);
    expect(functionOf('GET /health')).toMatch(/^ApiFunction/);
  });

  it('throttles the default stage and writes JSON access logs', () => {
    const config = loadConfig('dev');
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resources[string]]];
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: config.apiThrottle.rateLimit,
        ThrottlingBurstLimit: config.apiThrottle.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] },
      },
    });
    const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(JSON.stringify(format)).not.toMatch(/querystring|requestBody/i);
  });
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm');
  const count = (metric: string) => alarms().filter(([, a]) => a.Properties.MetricName === metric).length;

  it('alarms on every DLQ, every main queue backlog, every function error and throttle', () => {
    expect(count('ApproximateNumberOfMessagesVisible')).toBe(14);
    expect(count('ApproximateAgeOfOldestMessage')).toBe(14);
    expect(count('Errors')).toBe(FUNCTION_NAMES.length);
    expect(count('Throttles')).toBe(FUNCTION_NAMES.length);
  });

  it.each([SWEEP_CASE_FAILURES_METRIC, AMENDMENTS_UNAPPLIED_METRIC])(
    "alarms on any %s, in the functions' metrics namespace",
    (metric) => {
      const found = alarms().filter(([, a]) => a.Properties.MetricName === metric);
      expect(found).toHaveLength(1);
      expect(found[0]![1].Properties).toMatchObject({
        Namespace: 'landline-dev',
        Dimensions: [{ Name: 'service', Value: 'landline' }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    },
  );

  it('fires on the first dead-lettered message and sends every alarm to the operations topic', () => {
    const opsTopic = ofType('AWS::SNS::Topic').find(
      ([, t]) => t.Properties.TopicName === 'landline-dev-operations',
    )!;
    for (const [, a] of alarms()) expect(a.Properties.AlarmActions).toEqual([{ Ref: opsTopic[0] }]);
    for (const [, a] of alarms().filter(
      ([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    )) {
      expect(a.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('does report a finding that nobody acknowledged (the check is live)', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Probe');
    new Queue(stack, 'Plain');
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-SQS4']));
  });
});

describe('configuration', () => {
  it('subscribes the configured e-mail addresses and phone numbers', () => {
    const app = new App({ context: NO_BUNDLING });
    const config: EnvConfig = {
      ...loadConfig('dev'),
      subscriptions: {
        'bureau:guli': { emails: ['guli@example.org'], phones: ['+8613900000000'] },
        operations: { emails: ['ops@example.org'], phones: [] },
      },
    };
    const data = new StatefulStack(app, 'S', { config });
    const stack = new StatelessStack(app, 'L', {
      config,
      table: data.table,
      messagingKey: data.messagingKey,
      reporterKey: data.reporterKey,
      entries: FIXTURE_ENTRIES,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+8613900000000' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
  });

  it('filters what reaches phones by notification kind where configured, never on the alarm topic', () => {
    const app = new App({ context: NO_BUNDLING });
    const config: EnvConfig = {
      ...loadConfig('dev'),
      subscriptions: {
        'bureau:guli': {
          emails: ['guli@example.org'],
          phones: ['+8613900000000'],
          smsKinds: ['assignment', 'escalation'],
        },
        operations: { emails: [], phones: ['+8613900000001'], smsKinds: ['assignment'] },
      },
    };
    const data = new StatefulStack(app, 'S', { config });
    const template = Template.fromStack(
      new StatelessStack(app, 'L', {
        config,
        table: data.table,
        messagingKey: data.messagingKey,
        reporterKey: data.reporterKey,
        entries: FIXTURE_ENTRIES,
      }),
    );
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+8613900000000',
      FilterPolicy: { kind: ['assignment', 'escalation'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'guli@example.org',
      FilterPolicy: Match.absent(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+8613900000001',
      FilterPolicy: Match.absent(),
    });
    // Per-protocol bodies come from the notifier's message structure: no raw delivery anywhere.
    for (const subscription of Object.values(template.findResources('AWS::SNS::Subscription'))) {
      expect(subscription.Properties.RawMessageDelivery).toBeUndefined();
    }
  });

  it('builds one queue and one topic per bureau from the same AREA_IDS the code routes with', () => {
    expect(Object.keys(built.stateless.assignmentQueues).sort()).toEqual(
      [...AREA_IDS.map((area) => `bureau:${area}`), 'brigade'].sort(),
    );
    for (const area of AREA_IDS) expect(built.stateless.topics[`bureau:${area}`]).toBeDefined();
  });

  it('keeps production logs for a year and protects its stacks from deletion', () => {
    const prod = buildApp({
      app: new App({ context: NO_BUNDLING }),
      envName: 'prod',
      entries: FIXTURE_ENTRIES,
    });
    expect(prod.stateful.terminationProtection).toBe(true);
    const groups = Template.fromStack(prod.stateless).findResources('AWS::Logs::LogGroup');
    for (const group of Object.values(groups)) expect(group.Properties.RetentionInDays).toBe(365);
  });

  it('rejects an unknown environment instead of guessing', () => {
    expect(() => loadConfig('qa')).toThrow(/Unknown environment "qa"/);
  });
});

describe('LandlineFunction', () => {
  it('fails the synth when a consumed queue would redeliver before the consumer times out', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Probe');
    const fn = new LandlineFunction(stack, 'Fn', {
      name: 'probe',
      entry: FIXTURE,
      timeout: Duration.seconds(10),
    });
    const queue = new Queue(stack, 'Q', { visibilityTimeout: Duration.seconds(30) });
    expect(() => fn.consume(queue)).toThrow(/less than 6 × the consumer's 10 s timeout/);
  });

  it('names a missing handler file', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Probe');
    expect(() => new LandlineFunction(stack, 'Fn', { name: 'no-such-function' })).toThrow(
      /functions\/no-such-function\/handler\.ts/,
    );
  });
});
