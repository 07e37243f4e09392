import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, ConfigurationError, type LandlineApp } from '../../infra/app.js';
import { type EnvConfig, loadConfig, parseOperationsSubscribers } from '../../infra/config.js';
import { LANDLINE_BUNDLING, LandlineFunction } from '../../infra/constructs/landline-function.js';
import { API_ROUTES, FUNCTION_NAMES } from '../../infra/stacks/stateless-stack.js';
import { INDEXES } from '../../shared/adapters/table-schema.js';
import { AREA_IDS, DISTRICT_IDS, PARTNER_DEPARTMENTS } from '../../shared/domain/model.js';
import { AMENDMENTS_UNAPPLIED_METRIC, SWEEP_CASE_FAILURES_METRIC } from '../../shared/observability.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));
const FIXTURE_ENTRIES = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, FIXTURE]));
/** Skips esbuild for every stack: these tests look at templates, not bundles. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const OPS = 'oncall@example.org';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
type Resources = Record<string, Resource>;
type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
};

interface Built {
  readonly app: LandlineApp;
  readonly stateful: Template;
  readonly stateless: Template;
  readonly statefulResources: Resources;
  readonly statelessResources: Resources;
}

function build(config: EnvConfig | string, context: Record<string, unknown> = {}): Built {
  const app = buildApp({
    app: new App({ context: { ...NO_BUNDLING, ...context } }),
    ...(typeof config === 'string' ? { envName: config } : { config }),
    entries: FIXTURE_ENTRIES,
  });
  const stateful = Template.fromStack(app.stateful);
  const stateless = Template.fromStack(app.stateless);
  return {
    app,
    stateful,
    stateless,
    statefulResources: stateful.toJSON().Resources as Resources,
    statelessResources: stateless.toJSON().Resources as Resources,
  };
}

const ofType = (resources: Resources, type: string): [string, Resource][] =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const statementsOf = (resources: Resources, fnPrefix: string): Statement[] =>
  ofType(resources, 'AWS::IAM::Policy')
    .filter(([id]) => id.startsWith(fnPrefix))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const policyText = (resources: Resources, fnPrefix: string) =>
  JSON.stringify(statementsOf(resources, fnPrefix));

/** Every finding of both cdk-nag packs that nobody acknowledged. */
function nagFindings(app: App): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`),
      ),
  );
}

/** The China deployment with its templates registered (prod-cn's ids are filled in at approval). */
const CHINA: EnvConfig = {
  ...loadConfig('prod-cn'),
  sms: {
    channel: 'aliyun',
    signName: '常熟国土',
    templateIds: { assignment: 'SMS_480010001', assignment_general: 'SMS_480010002' },
  },
};

let dev: Built;
let statelessResources: Resources;
let statefulResources: Resources;

beforeAll(() => {
  // Synthesis runs the cdk-nag plugins; an unacknowledged error would throw here.
  dev = build('dev');
  statelessResources = dev.statelessResources;
  statefulResources = dev.statefulResources;
});

describe('stateful stack', () => {
  it('names the stacks after the environment and deploys to its region', () => {
    expect(dev.app.stateful.stackName).toBe('Landline-dev-Stateful');
    expect(dev.app.stateless.stackName).toBe('Landline-dev-Stateless');
    expect(dev.app.stateless.region).toBe(loadConfig('dev').region);
  });

  it('creates the table from the shared schema: keys, GSIs, on-demand, PITR, protection, CMK, retained', () => {
    dev.stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.stateful.hasResource('AWS::DynamoDB::Table', {
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

  it('expires notification claims by TTL and watches hot keys with contributor insights', () => {
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      ContributorInsightsSpecification: { Enabled: true },
    });
  });

  it('encrypts the table with its own rotating, retained key', () => {
    const table = Object.values(dev.stateful.findResources('AWS::DynamoDB::Table'))[0] as {
      Properties: { SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [string, string] } } };
    };
    const keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
    const keys = dev.stateful.findResources('AWS::KMS::Key');
    expect(keys[keyId]).toBeDefined();
    expect(Object.keys(keys)).toHaveLength(3);
    for (const key of Object.values(keys)) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  it("lets CloudWatch use the messaging key for this deployment's alarms only", () => {
    dev.stateful.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('SQS queues and SNS topics'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: Match.objectLike({
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':alarm:landline-dev-*'])] } },
            }),
          }),
        ]),
      },
    });
  });

  it('keeps the dead-letter queues and the operator-entered secrets here, retained', () => {
    const dlqs = ofType(statefulResources, 'AWS::SQS::Queue');
    // intake, one per bureau, triage, feedback.
    expect(dlqs).toHaveLength(1 + AREA_IDS.length + 1 + 1);
    for (const [, q] of dlqs) {
      expect(q.DeletionPolicy).toBe('Retain');
      expect(q.Properties.QueueName).toMatch(/^landline-dev-.*-dlq$/);
      expect(q.Properties.MessageRetentionPeriod).toBe(1_209_600);
    }
    const secrets = ofType(statefulResources, 'AWS::SecretsManager::Secret');
    const sources = ['12336', '12345', 'city-management'];
    // Each source's webhook secret and its feedback endpoint {url, secret} (contract 9): both entered
    // by an operator, so both survive the stateless stack.
    expect(secrets.map(([, s]) => s.Properties.Name).sort()).toEqual(
      [
        ...sources.map((source) => `landline-dev/feedback/${source}`),
        ...sources.map((source) => `landline-dev/source/${source}`),
      ].sort(),
    );
    for (const [, secret] of secrets) {
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.UpdateReplacePolicy).toBe('Retain');
    }
    for (const source of sources) {
      dev.stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `landline-dev/feedback/${source}`,
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"url":""}' }),
      });
    }
  });
});

describe('queues', () => {
  const mainQueues = () => ofType(statelessResources, 'AWS::SQS::Queue');

  it('has intake, one per bureau, triage and feedback, each dead-lettering into its own retained DLQ', () => {
    expect(mainQueues()).toHaveLength(1 + AREA_IDS.length + 1 + 1);
    const names = mainQueues().map(([, q]) => q.Properties.QueueName);
    expect(names).toEqual(
      expect.arrayContaining([
        'landline-dev-intake',
        'landline-dev-triage',
        'landline-dev-feedback',
        ...AREA_IDS.map((area) => `landline-dev-bureau-${area}`),
      ]),
    );
    const dlqTargets = mainQueues().map(([, q]) =>
      JSON.stringify((q.Properties.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn),
    );
    expect(new Set(dlqTargets).size).toBe(mainQueues().length);
    for (const target of dlqTargets) expect(target).toMatch(/Fn::ImportValue.*Dlq/);
  });

  it('redrives after 5 receives', () => {
    for (const [, q] of mainQueues()) {
      expect((q.Properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBe(5);
    }
  });

  it('encrypts every queue with the messaging key', () => {
    for (const [, q] of mainQueues()) {
      expect(q.Properties.KmsMasterKeyId).toEqual({
        'Fn::ImportValue': expect.stringMatching(/MessagingKey/),
      });
    }
    for (const [, q] of ofType(statefulResources, 'AWS::SQS::Queue')) {
      expect(q.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^MessagingKey/), 'Arn'],
      });
    }
  });

  it('denies non-TLS access on every queue', () => {
    for (const resources of [statelessResources, statefulResources]) {
      const queues = ofType(resources, 'AWS::SQS::Queue').map(([id]) => id);
      const protectedQueues = ofType(resources, 'AWS::SQS::QueuePolicy')
        .filter(([, p]) =>
          JSON.stringify(p.Properties.PolicyDocument).includes(
            '"Condition":{"Bool":{"aws:SecureTransport":"false"}}',
          ),
        )
        .flatMap(([, p]) => (p.Properties.Queues as { Ref: string }[]).map((q) => q.Ref));
      expect(protectedQueues.sort()).toEqual(queues.sort());
    }
  });

  it('gives each queue a visibility timeout of at least 6 × its consumer timeout', () => {
    const mappings = ofType(statelessResources, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBe(1 + AREA_IDS.length + 1 + 1);
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
    const mappings = ofType(statelessResources, 'AWS::Lambda::EventSourceMapping');
    for (const [, m] of mappings)
      expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const consumerOf = (queueName: string) => {
      const [queueId] = mainQueues().find(([, q]) => q.Properties.QueueName === queueName)!;
      const mapping = mappings.find(
        ([, m]) => (m.Properties.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0] === queueId,
      );
      return (mapping?.[1].Properties.FunctionName as { Ref: string } | undefined)?.Ref;
    };
    expect(consumerOf('landline-dev-intake')).toMatch(/^RouteFunction/);
    expect(consumerOf('landline-dev-triage')).toMatch(/^NotifyFunction/);
    for (const area of AREA_IDS) expect(consumerOf(`landline-dev-bureau-${area}`)).toMatch(/^NotifyFunction/);
    expect(consumerOf('landline-dev-feedback')).toMatch(/^FeedbackFunction/);
  });
});

describe('topics', () => {
  it('has one per bureau, partner, town, district leader, the brigade, leadership, superior and operations, all KMS-encrypted', () => {
    const topics = ofType(statelessResources, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(AREA_IDS.length * 2 + PARTNER_DEPARTMENTS.length + DISTRICT_IDS.length + 4);
    const names = topics.map(([, t]) => t.Properties.TopicName);
    expect(names).toEqual(
      expect.arrayContaining([
        'landline-dev-brigade',
        'landline-dev-operations',
        'landline-dev-leadership',
        'landline-dev-superior',
        ...DISTRICT_IDS.map((district) => `landline-dev-leader-${district}`),
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
    const topics = ofType(statelessResources, 'AWS::SNS::Topic').map(([id]) => id);
    const protectedTopics = ofType(statelessResources, 'AWS::SNS::TopicPolicy')
      .filter(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
      )
      .flatMap(([, p]) => (p.Properties.Topics as { Ref: string }[]).map((t) => t.Ref));
    expect(protectedTopics.sort()).toEqual(topics.sort());
  });

  it('subscribes nobody from the repository (contacts live in the table, alarm subscribers in context)', () => {
    dev.stateless.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('functions', () => {
  it('runs seven functions on nodejs22.x, arm64, traced, 512 MB, with the common environment', () => {
    const functions = ofType(statelessResources, 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id.replace(/Function.*$/, '').toLowerCase()).sort()).toEqual(
      ['api', 'feedback', 'intake', 'notify', 'reports', 'route', 'sweep'].sort(),
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

  it("bundles as a minified ES module with source maps, leaving the runtime's AWS SDK and the SMS SDKs out", () => {
    expect(LANDLINE_BUNDLING).toMatchObject({
      format: 'esm',
      minify: true,
      sourceMap: true,
      target: 'node22',
      externalModules: ['@aws-sdk/*', '@alicloud/*', 'tencentcloud-sdk-nodejs-*'],
    });
    // Chinese text stays UTF-8: as an esbuild argument, since the CDK's bundling drops its `charset`.
    expect(LANDLINE_BUNDLING.esbuildArgs).toMatchObject({ '--charset': 'utf8' });
    expect(LANDLINE_BUNDLING).not.toHaveProperty('charset');
  });

  it('keeps logs for a month', () => {
    for (const [, group] of ofType(statelessResources, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });

  it('binds each function to exactly the names it reads', () => {
    const env = (name: string) => {
      const [, fn] = ofType(statelessResources, 'AWS::Lambda::Function').find(([id]) => id.startsWith(name))!;
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
        'TABLE_NAME',
      ].sort(),
    );
    expect(env('RouteFunction').sort()).toEqual([...common, 'ASSIGNMENT_QUEUE_URLS', 'TABLE_NAME'].sort());
    expect(env('NotifyFunction').sort()).toEqual(
      [...common, 'EMAIL_CHANNEL', 'NOTIFY_MODE', 'SMS_CHANNEL', 'TABLE_NAME', 'TOPIC_ARNS'].sort(),
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
    expect(env('FeedbackFunction').sort()).toEqual(
      [
        ...common,
        'ASSIGNMENT_QUEUE_URLS',
        'FEEDBACK_ENDPOINT_ARN_12336',
        'FEEDBACK_ENDPOINT_ARN_12345',
        'FEEDBACK_ENDPOINT_ARN_CITY_MANAGEMENT',
        'FEEDBACK_QUEUE_URL',
        'TABLE_NAME',
      ].sort(),
    );
  });

  it("writes every function's business metrics to its environment's own namespace", () => {
    for (const [, fn] of ofType(statelessResources, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('landline-dev');
    }
  });

  it('passes the assignment queues and topics as JSON objects keyed by target', () => {
    const variable = (fnPrefix: string, name: string): string => {
      const [, fn] = ofType(statelessResources, 'AWS::Lambda::Function').find(([id]) =>
        id.startsWith(fnPrefix),
      )!;
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
        ...DISTRICT_IDS.map((d) => `leader:${d}`),
        'brigade',
        'leadership',
        'superior',
      ].sort(),
    );
  });

  it('grants table access on the table and its named indexes only, never index/*', () => {
    const policies = JSON.stringify(
      ofType(statelessResources, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument),
    );
    expect(policies).not.toContain('/index/*');
    for (const index of Object.values(INDEXES)) expect(policies).toContain(`/index/${index.indexName}`);
    // Intake reads one item (a follow-up's tip anchor, contract 9) and nothing else of the table.
    expect(policyText(statelessResources, 'IntakeFunction').match(/dynamodb:[A-Za-z]+/g)).toEqual([
      'dynamodb:GetItem',
    ]);
  });

  it('uses no AWS managed policy for any role', () => {
    for (const [, role] of ofType(statelessResources, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('gives every function role a fixed name, landline-<env>-<function>', () => {
    const names = ofType(statelessResources, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName);
    expect(names.sort()).toEqual(
      ['api', 'feedback', 'intake', 'notify', 'reports', 'route', 'sweep'].map((fn) => `landline-dev-${fn}`),
    );
  });

  it('sweeps every minute', () => {
    dev.stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweepFunction'), 'Arn'] } }),
      ],
    });
  });

  it('keeps only the generated cursor key in the stateless stack', () => {
    dev.stateless.resourceCountIs('AWS::SecretsManager::Secret', 1);
    dev.stateless.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'landline-dev/cursor-key',
      GenerateSecretString: Match.anyValue(),
    });
  });

  it('relays feedback every minute', () => {
    dev.stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FeedbackFunction'), 'Arn'] } }),
      ],
    });
  });
});

describe('secrets, tokens and the calendar', () => {
  it('lets intake read each source secret, the API the cursor key, the sender the feedback endpoints, and nobody else read any', () => {
    const statefulSecrets = ofType(statefulResources, 'AWS::SecretsManager::Secret').map(([id]) => id);
    const sourceSecretIds = statefulSecrets.filter((id) => id.startsWith('SourceSecret'));
    const feedbackIds = statefulSecrets.filter((id) => id.startsWith('FeedbackEndpoint'));
    expect(sourceSecretIds).toHaveLength(3);
    expect(feedbackIds).toHaveLength(3);
    const statelessSecrets = ofType(statelessResources, 'AWS::SecretsManager::Secret').map(([id]) => id);
    const cursorKeyId = statelessSecrets.find((id) => id.startsWith('CursorKey'))!;
    const imports = (id: string) => new RegExp(`ImportValue":"[^"]*${id}`);
    const intake = policyText(statelessResources, 'IntakeFunction');
    expect(intake).toContain('secretsmanager:GetSecretValue');
    for (const id of sourceSecretIds) expect(intake).toMatch(imports(id));
    for (const id of feedbackIds) expect(intake).not.toContain(id);
    expect(intake).not.toContain(`"Ref":"${cursorKeyId}"`);
    const api = policyText(statelessResources, 'ApiFunction');
    expect(api).toContain(`"Ref":"${cursorKeyId}"`);
    for (const id of [...sourceSecretIds, ...feedbackIds]) expect(api).not.toContain(id);
    // The sender reads its endpoints (from the stateful stack) and may do nothing else with them.
    const feedback = policyText(statelessResources, 'FeedbackFunction');
    for (const id of feedbackIds) expect(feedback).toMatch(imports(id));
    const secretActions = statementsOf(statelessResources, 'FeedbackFunction')
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('secretsmanager:'));
    expect([...new Set(secretActions)].sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(feedback).not.toContain(`"Ref":"${cursorKeyId}"`);
    for (const id of sourceSecretIds) expect(feedback).not.toContain(id);
    for (const other of ['RouteFunction', 'NotifyFunction', 'SweepFunction', 'ReportsFunction']) {
      expect(policyText(statelessResources, other)).not.toContain('secretsmanager:');
    }
  });

  it('passes no secret or token values in any environment (API tokens live hashed in the table)', () => {
    for (const [id, fn] of ofType(statelessResources, 'AWS::Lambda::Function')) {
      const names = Object.keys(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      expect(names, id).not.toContain('API_TOKENS');
      expect(names, id).not.toContain('SMS_CREDENTIALS');
      expect(
        names.filter((n) => /^SOURCE_SECRET_(?!ARN_)/.test(n)),
        id,
      ).toEqual([]);
    }
  });

  it('keeps the working-day calendar in the table (calendar:load), with no SSM parameter or grant', () => {
    expect(ofType(statelessResources, 'AWS::SSM::Parameter')).toEqual([]);
    for (const fn of ['IntakeFunction', 'RouteFunction', 'NotifyFunction', 'ApiFunction', 'SweepFunction']) {
      expect(policyText(statelessResources, fn)).not.toContain('ssm:');
    }
  });
});

describe('HTTP API', () => {
  it('routes every contract path to its function', () => {
    const routes = ofType(statelessResources, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    const integrations = Object.fromEntries(ofType(statelessResources, 'AWS::ApiGatewayV2::Integration'));
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
    const [[, stage]] = ofType(statelessResources, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
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
  const alarms = () => ofType(statelessResources, 'AWS::CloudWatch::Alarm');
  const named = (suffix: string) =>
    alarms().filter(([, a]) => String(a.Properties.AlarmName).endsWith(suffix));
  const expressions = ([, alarm]: [string, Resource]) =>
    (alarm.Properties.Metrics as { Expression?: string }[] | undefined)?.flatMap((m) => m.Expression ?? []) ??
    [];

  it('names every alarm landline-<env>-… and sends it, and its return to OK, to the operations topic', () => {
    const [opsTopic] = ofType(statelessResources, 'AWS::SNS::Topic').find(
      ([, t]) => t.Properties.TopicName === 'landline-dev-operations',
    )!;
    for (const [, a] of alarms()) {
      expect(a.Properties.AlarmName).toMatch(/^landline-dev-/);
      expect(a.Properties.AlarmActions).toEqual([{ Ref: opsTopic }]);
    }
  });

  it('alarms on every DLQ growing (metric math) and every main queue backlog', () => {
    const growth = named('DlqGrowthAlarm');
    expect(growth).toHaveLength(1 + AREA_IDS.length + 1 + 1);
    for (const alarm of growth) {
      expect(expressions(alarm)).toEqual(['DIFF(FILL(visible, 0))']);
      expect(alarm[1].Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    expect(named('OldestMessageAlarm')).toHaveLength(1 + AREA_IDS.length + 1 + 1);
  });

  it("alarms on each function's error rate and throttles over M of N minutes, not on one error", () => {
    const config = loadConfig('dev').alarms;
    const rates = named('ErrorRateAlarm');
    expect(rates).toHaveLength(7);
    for (const alarm of rates) {
      expect(expressions(alarm)).toContain('100 * FILL(errors, 0) / invocations');
      expect(alarm[1].Properties).toMatchObject({
        Threshold: config.errorRatePercent,
        DatapointsToAlarm: config.datapointsToAlarm,
        EvaluationPeriods: config.evaluationPeriods,
      });
    }
    for (const alarm of named('ThrottlesAlarm')) {
      expect(alarm[1].Properties.DatapointsToAlarm).toBe(config.datapointsToAlarm);
    }
  });

  it('has a heartbeat on the sweeper that treats missing data as breaching', () => {
    const [heartbeat] = named('SweepHeartbeatAlarm');
    expect(heartbeat).toBeDefined();
    expect(heartbeat![1].Properties).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect(expressions(heartbeat!)).toContain('invocations - FILL(errors, 0)');
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

  it('alarms on failed deliveries of every notification topic', () => {
    const topics = ofType(statelessResources, 'AWS::SNS::Topic').filter(
      ([, t]) => t.Properties.TopicName !== 'landline-dev-operations',
    );
    const watched = alarms()
      .filter(([, a]) => String(a.Properties.AlarmName).includes('TopicDeliveryFailuresAlarm'))
      .flatMap(([, a]) =>
        (a.Properties.Metrics as { MetricStat?: { Metric: { Dimensions: { Value: unknown }[] } } }[]).flatMap(
          (m) => m.MetricStat?.Metric.Dimensions.map((d) => JSON.stringify(d.Value)) ?? [],
        ),
      );
    expect(watched).toHaveLength(topics.length);
  });

  it('lets CloudWatch publish to the operations topic, only for these alarms', () => {
    const [opsTopic] = ofType(statelessResources, 'AWS::SNS::Topic').find(
      ([, t]) => t.Properties.TopicName === 'landline-dev-operations',
    )!;
    dev.stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: opsTopic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':alarm:landline-dev-*'])] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
  });
});

describe('cdk-nag (AwsSolutions and Serverless)', () => {
  it('reports no unacknowledged errors or warnings', () => {
    expect(nagFindings(dev.app.app)).toEqual([]);
  });

  it('does report a finding that nobody acknowledged (the checks are live)', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Probe');
    new Queue(stack, 'Plain');
    expect(nagFindings(app).join('\n')).toMatch(/AwsSolutions-SQS4[\s\S]*Serverless-SQSRedrivePolicy/);
  });
});

describe('partitions: a China environment and a global one', () => {
  let china: Built;
  let global: Built;
  beforeAll(() => {
    china = build(CHINA, { operationsSubscribers: OPS });
    global = build('prod', { operationsSubscribers: `${OPS} +6591234567` });
  });

  it('deploys to cn-north-1 and a global region', () => {
    expect(china.app.stateless.region).toBe('cn-north-1');
    expect(china.app.stateless.landlinePartition).toBe('aws-cn');
    expect(global.app.stateless.landlinePartition).toBe('aws');
  });

  it('China: no SNS SMS anywhere, no X-Ray (and no tracer loaded), SMS through Alibaba Cloud with its secret', () => {
    const resources = china.statelessResources;
    for (const [, subscription] of ofType(resources, 'AWS::SNS::Subscription')) {
      expect(subscription.Properties.Protocol).not.toBe('sms');
    }
    expect(ofType(resources, 'Custom::AWS')).toEqual([]);
    expect(JSON.stringify(resources)).not.toContain('AWS.SNS.SMS');
    for (const [id, fn] of ofType(resources, 'AWS::Lambda::Function')) {
      expect(fn.Properties.TracingConfig, id).toBeUndefined();
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        POWERTOOLS_TRACE_ENABLED: 'false',
      });
    }
    expect(JSON.stringify(resources)).not.toContain('xray:');
    const [smsSecretId, smsSecret] = ofType(china.statefulResources, 'AWS::SecretsManager::Secret').find(
      ([, s]) => s.Properties.Name === 'landline-prod-cn/sms/aliyun',
    )!;
    expect(smsSecret.DeletionPolicy).toBe('Retain');
    for (const fnPrefix of ['NotifyFunction', 'ReceiptsFunction']) {
      const [, fn] = ofType(resources, 'AWS::Lambda::Function').find(([id]) => id.startsWith(fnPrefix))!;
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        SMS_CHANNEL: 'aliyun',
        SMS_SIGN_NAME: '常熟国土',
        SMS_TEMPLATE_IDS: JSON.stringify(CHINA.sms.channel === 'aliyun' ? CHINA.sms.templateIds : {}),
        SMS_SECRET_ARN: { 'Fn::ImportValue': expect.stringContaining(smsSecretId) },
      });
      expect(policyText(resources, fnPrefix)).toContain('secretsmanager:GetSecretValue');
      expect(policyText(resources, fnPrefix)).not.toContain('"sns:Publish","Resource":"*"');
    }
    // Nobody else reads the provider's credentials.
    for (const other of ['IntakeFunction', 'RouteFunction', 'ApiFunction', 'SweepFunction']) {
      expect(policyText(resources, other)).not.toContain(smsSecretId);
    }
  });

  it('China: checks SMS receipts every 5 minutes and alarms on failed, unconfirmed and too many SMS', () => {
    china.stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReceiptsFunction'), 'Arn'] } }),
      ],
    });
    const metrics = ofType(china.statelessResources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const metric of ['SmsFailed', 'SmsUnconfirmed', 'SmsSent']) {
      expect(metrics).toContainEqual(
        expect.objectContaining({
          MetricName: metric,
          Namespace: 'landline-prod-cn',
          Dimensions: expect.arrayContaining([{ Name: 'channel', Value: 'aliyun' }]),
        }),
      );
    }
    expect(metrics.map((a) => a.AlarmName)).toContain('landline-prod-cn-ReceiptsHeartbeatAlarm');
  });

  it('China: says where the API endpoint needs ICP recordal', () => {
    const info = china.app.app.synth().getStackArtifact(china.app.stateless.artifactId).messages;
    expect(info.map((m) => String(m.entry.data))).toContainEqual(expect.stringMatching(/ICP/));
  });

  it('global: SNS SMS as Transactional with a spend limit, delivery-status logging, spend and failure alarms', () => {
    const resources = global.statelessResources;
    const [, settings] = ofType(resources, 'Custom::AWS')[0]!;
    const call = JSON.stringify(settings.Properties.Create);
    expect(call).toContain('setSMSAttributes');
    expect(call).toContain('\\"DefaultSMSType\\":\\"Transactional\\"');
    expect(call).toContain('\\"MonthlySpendLimit\\":\\"100\\"');
    expect(call).toContain('DeliveryStatusIAMRole');
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({ Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD', Threshold: 80 }),
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SNS',
        MetricName: 'NumberOfNotificationsFailed',
        Dimensions: [{ Name: 'PhoneNumber', Value: 'PhoneNumberDirect' }],
      }),
    );
    expect(alarms).toContainEqual(expect.objectContaining({ MetricName: 'SmsFailed' }));
    const [, notify] = ofType(resources, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('NotifyFunction'),
    )!;
    expect(
      (notify.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SMS_CHANNEL,
    ).toBe('sns');
    expect(statementsOf(resources, 'NotifyFunction')).toContainEqual(
      expect.objectContaining({ Sid: 'SmsToPhoneNumbers', Action: 'sns:Publish', Resource: '*' }),
    );
    // X-Ray where the partition has it.
    for (const [, fn] of ofType(resources, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('AWS'))) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
    // The sweep and the feedback relay; no receipt check: SNS has none.
    expect(ofType(resources, 'AWS::Events::Rule')).toHaveLength(2);
  });

  it('both: CloudWatch may publish to the operations topic, whose subscribers come from context', () => {
    for (const built of [china, global]) {
      const env = built.app.config.envName;
      built.stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
      built.stateless.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: OPS,
        TopicArn: { Ref: Match.stringLikeRegexp('^OperationsTopic') },
      });
      expect(built.app.stateful.terminationProtection, env).toBe(true);
    }
    global.stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+6591234567',
    });
  });

  it('both: production refuses to synthesize without operations subscribers', () => {
    expect(() => build(CHINA)).toThrow(ConfigurationError);
    expect(() => build('prod')).toThrow(
      /no operations subscribers[\s\S]*\/landline\/prod\/operations-subscribers/,
    );
    expect(() => build('staging')).not.toThrow();
  });

  it('both: cdk-nag (AwsSolutions and Serverless) clean', () => {
    expect(nagFindings(china.app.app)).toEqual([]);
    expect(nagFindings(global.app.app)).toEqual([]);
  });

  it('China: no console (Cognito user pools, CloudFront Functions and OAC are not offered), and says so', () => {
    const types = [...Object.values(china.statefulResources), ...Object.values(china.statelessResources)].map(
      (r) => r.Type,
    );
    expect(types.filter((type) => /^AWS::(Cognito|CloudFront)::/.test(type))).toEqual([]);
    expect(china.app.stateful.consoleUsers).toBeUndefined();
    expect(china.app.stateless.console).toBeUndefined();
    expect(china.app.app.node.tryFindChild('Landline-prod-cn-ConsoleFiles')).toBeUndefined();
    const [, api] = ofType(china.statelessResources, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('ApiFunction'),
    )!;
    const variables = (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables).filter((name) => name.startsWith('COGNITO_'))).toEqual([]);
    const messages = china.app.app.synth().getStackArtifact(china.app.stateless.artifactId).messages;
    expect(messages.map((m) => String(m.entry.data))).toContainEqual(
      expect.stringMatching(/No cloud console here[\s\S]*docs\/console\.md/),
    );
  });

  it('global: the console in all three stacks, so the cdk-nag check above covers its files stack', () => {
    expect(ofType(global.statefulResources, 'AWS::Cognito::UserPool')).toHaveLength(1);
    expect(ofType(global.statelessResources, 'AWS::CloudFront::Distribution')).toHaveLength(1);
    const files = global.app.app.node.tryFindChild('Landline-prod-ConsoleFiles');
    expect(files).toBeDefined();
    expect(Template.fromStack(files as Stack).toJSON().Resources).toBeDefined();
  });

  it('both: reserved concurrency for intake and the API, a ceiling on each notify mapping', () => {
    for (const built of [china, global]) {
      const config = built.app.config;
      const functions = ofType(built.statelessResources, 'AWS::Lambda::Function');
      const reserved = (prefix: string) =>
        functions.find(([id]) => id.startsWith(prefix))![1].Properties.ReservedConcurrentExecutions;
      expect(reserved('IntakeFunction')).toBe(config.reservedConcurrency?.intake);
      expect(reserved('ApiFunction')).toBe(config.reservedConcurrency?.api);
      const notifyMappings = ofType(built.statelessResources, 'AWS::Lambda::EventSourceMapping').filter(
        ([, m]) => JSON.stringify(m.Properties.FunctionName).includes('NotifyFunction'),
      );
      expect(notifyMappings).toHaveLength(AREA_IDS.length + 1);
      for (const [, m] of notifyMappings) {
        expect(m.Properties.ScalingConfig).toEqual({ MaximumConcurrency: config.notifyMaxConcurrency });
      }
    }
  });

  it('refuses what a China region cannot do: SNS SMS, SMS alarm subscribers, SES', () => {
    expect(() =>
      build({ ...CHINA, sms: { channel: 'sns', monthlySpendLimitUsd: 1 } }, { operationsSubscribers: OPS }),
    ).toThrow(/SNS sends no SMS in the China regions/);
    expect(() => build(CHINA, { operationsSubscribers: `${OPS} +8613900000000` })).toThrow(
      /e-mail addresses/,
    );
    expect(() =>
      build({ ...CHINA, email: { channel: 'ses', from: 'a@example.org' } }, { operationsSubscribers: OPS }),
    ).toThrow(/SES is not offered/);
    expect(() =>
      build(
        { ...CHINA, sms: { channel: 'aliyun', signName: '常熟国土', templateIds: {} } },
        { operationsSubscribers: OPS },
      ),
    ).toThrow(/no template ids/);
  });
});

describe('IAM: whistle-blower data', () => {
  let resources: Resources;
  let keyPolicy: Statement[];
  const reporterKeyImport = (statement: Statement) =>
    JSON.stringify(statement.Resource ?? '').includes('ReporterKey');
  beforeAll(() => {
    const china = build(CHINA, { operationsSubscribers: OPS });
    resources = china.statelessResources;
    const [, key] = ofType(china.statefulResources, 'AWS::KMS::Key').find(([, k]) =>
      String(k.Properties.Description).includes('reporter'),
    )!;
    keyPolicy = (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
  });
  const functionPrefixes = [
    'IntakeFunction',
    'RouteFunction',
    'NotifyFunction',
    'ApiFunction',
    'SweepFunction',
    'ReceiptsFunction',
  ];

  it('the API role cannot delete or change audit records (and no function can)', () => {
    const api = statementsOf(resources, 'ApiFunction');
    const allowed = api.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
    expect(allowed).not.toContain('dynamodb:DeleteItem');
    expect(allowed).not.toContain('dynamodb:BatchWriteItem');
    expect(allowed).not.toContain('dynamodb:Scan');
    for (const prefix of functionPrefixes.filter((p) => p !== 'IntakeFunction')) {
      const deny = statementsOf(resources, prefix).find((s) => s.Sid === 'AuditRecordsAreAppendOnly');
      expect(deny, prefix).toMatchObject({
        Effect: 'Deny',
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      });
      expect(actionsOf(deny!)).toEqual(
        expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']),
      );
      // Only the case API writes audit records at all.
      expect(actionsOf(deny!).includes('dynamodb:PutItem'), prefix).toBe(prefix !== 'ApiFunction');
      expect(
        statementsOf(resources, prefix).find((s) => s.Sid === 'TokensAreOperatorsOnly'),
        prefix,
      ).toBeDefined();
    }
  });

  it('grants nothing on * but what has no resource: X-Ray, and SNS SMS straight to a phone', () => {
    const global = build('prod', { operationsSubscribers: OPS }).statelessResources;
    for (const [template, name] of [
      [resources, 'China'],
      [global, 'global'],
    ] as const) {
      for (const prefix of functionPrefixes) {
        const onStar = statementsOf(template, prefix)
          .filter((s) => s.Effect === 'Allow' && s.Resource === '*')
          .flatMap(actionsOf);
        const allowed = [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          ...(prefix === 'NotifyFunction' ? ['sns:Publish'] : []),
        ];
        for (const action of onStar) expect(allowed, `${name} ${prefix} ${action}`).toContain(action);
      }
    }
  });

  it('gives each function only the table actions it uses', () => {
    const tableActions = (prefix: string) =>
      statementsOf(resources, prefix)
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
    const writer = ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'];
    expect(tableActions('RouteFunction')).toEqual(writer.map((a) => `dynamodb:${a}`));
    expect(tableActions('SweepFunction')).toEqual(writer.map((a) => `dynamodb:${a}`));
    expect(tableActions('ApiFunction')).toEqual(writer.map((a) => `dynamodb:${a}`));
    expect(tableActions('NotifyFunction')).toEqual(
      ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'].map((a) => `dynamodb:${a}`),
    );
    expect(tableActions('ReceiptsFunction')).toEqual(
      ['DeleteItem', 'Query', 'UpdateItem'].map((a) => `dynamodb:${a}`),
    );
    // A follow-up about an unknown tip is 404 (contract 9): intake reads the tip's anchor, nothing else.
    expect(tableActions('IntakeFunction')).toEqual(['dynamodb:GetItem']);
    // Reports read, and store reports, scores and the first-started day: no transactions, no deletes.
    expect(tableActions('ReportsFunction')).toEqual(
      ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'].map((a) => `dynamodb:${a}`),
    );
    // The sender gets, queries and puts deliveries; it deletes a re-enabled endpoint's incident only.
    expect(tableActions('FeedbackFunction')).toEqual(
      ['DeleteItem', 'GetItem', 'PutItem', 'Query'].map((a) => `dynamodb:${a}`),
    );
    const feedbackDeletes = statementsOf(resources, 'FeedbackFunction').find(
      (s) => s.Sid === 'DeletesOnlyItsOwnItems',
    );
    expect(feedbackDeletes).toMatchObject({
      Effect: 'Deny',
      Condition: { 'ForAnyValue:StringNotLike': { 'dynamodb:LeadingKeys': ['FEEDBACK_ENDPOINT#*'] } },
    });
    expect(actionsOf(feedbackDeletes!).sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem']);
    for (const prefix of ['RouteFunction', 'SweepFunction', 'ApiFunction', 'ReportsFunction']) {
      expect(tableActions(prefix), prefix).not.toContain('dynamodb:DeleteItem');
    }
  });

  it('only intake may generate reporter data keys and only the API decrypt them, under the encryption context', () => {
    const reporterGrants = functionPrefixes.flatMap((prefix) =>
      statementsOf(resources, prefix)
        .filter((s) => s.Effect === 'Allow' && reporterKeyImport(s))
        .map((s) => ({ prefix, actions: actionsOf(s), condition: s.Condition })),
    );
    expect(reporterGrants).toEqual([
      {
        prefix: 'IntakeFunction',
        actions: ['kms:GenerateDataKey'],
        condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'landline-reporter' } },
      },
      {
        prefix: 'ApiFunction',
        actions: ['kms:Decrypt'],
        condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'landline-reporter' } },
      },
    ]);
  });

  it("the reporter key's policy names the intake and API roles, with the context and direct calls only", () => {
    const roleNameOf = (prefix: string) =>
      ofType(resources, 'AWS::IAM::Role').find(([id]) => id.startsWith(prefix))![1].Properties
        .RoleName as string;
    const arnText = (value: unknown) => JSON.stringify(value);
    const bySid = (sid: string) => keyPolicy.find((s) => s.Sid === sid)!;

    const open = bySid('CaseApiOpensReporters');
    expect(open).toMatchObject({ Effect: 'Allow', Action: 'kms:Decrypt' });
    expect(arnText(open.Condition?.ArnEquals?.['aws:PrincipalArn'])).toContain(
      `:role/${roleNameOf('ApiFunction')}`,
    );
    expect(open.Condition).toMatchObject({
      StringEquals: { 'kms:EncryptionContext:purpose': 'landline-reporter' },
      Null: { 'kms:ViaService': 'true' },
    });
    const seal = bySid('IntakeSealsReporters');
    expect(seal).toMatchObject({ Effect: 'Allow', Action: 'kms:GenerateDataKey' });
    expect(arnText(seal.Condition?.ArnEquals?.['aws:PrincipalArn'])).toContain(
      `:role/${roleNameOf('IntakeFunction')}`,
    );

    // Everyone else (administrators included) is denied, whatever their IAM policies say.
    const onlyApi = bySid('OnlyTheCaseApiDecrypts');
    expect(onlyApi).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt' });
    expect(arnText(onlyApi.Condition?.ArnNotEquals?.['aws:PrincipalArn'])).toContain(
      ':role/landline-prod-cn-api"',
    );
    const onlyIntake = bySid('OnlyIntakeMakesDataKeys');
    expect(actionsOf(onlyIntake)).toContain('kms:GenerateDataKey*');
    expect(arnText(onlyIntake.Condition?.ArnNotEquals?.['aws:PrincipalArn'])).toContain(
      ':role/landline-prod-cn-intake"',
    );
    expect(bySid('OnlyUnderTheVaultContext')).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 'kms:EncryptionContext:purpose': 'landline-reporter' } },
    });
    expect(bySid('OnlyDirectCalls')).toMatchObject({
      Effect: 'Deny',
      Condition: { Null: { 'kms:ViaService': 'false' } },
    });
    expect(bySid('NoReEncryption')).toMatchObject({ Effect: 'Deny', Action: 'kms:ReEncrypt*' });
  });
});

describe('configuration', () => {
  it('builds one queue and one topic per bureau from the same AREA_IDS the code routes with', () => {
    expect(Object.keys(dev.app.stateless.assignmentQueues).sort()).toEqual(
      [...AREA_IDS.map((area) => `bureau:${area}`), 'brigade'].sort(),
    );
    for (const area of AREA_IDS) expect(dev.app.stateless.topics[`bureau:${area}`]).toBeDefined();
  });

  it('keeps production logs for a year and protects its stacks from deletion', () => {
    const prod = build('prod', { operationsSubscribers: OPS });
    expect(prod.app.stateful.terminationProtection).toBe(true);
    expect(prod.app.stateless.terminationProtection).toBe(true);
    for (const [, group] of ofType(prod.statelessResources, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays).toBe(365);
    }
  });

  it('rejects an unknown environment instead of guessing', () => {
    expect(() => loadConfig('qa')).toThrow(/Unknown environment "qa"/);
  });

  it('reads operations subscribers as e-mail addresses and E.164 numbers, refusing anything else', () => {
    expect(parseOperationsSubscribers('a@example.org, +8613900000000 b@example.org')).toEqual({
      emails: ['a@example.org', 'b@example.org'],
      phones: ['+8613900000000'],
    });
    expect(parseOperationsSubscribers(undefined)).toEqual({ emails: [], phones: [] });
    expect(() => parseOperationsSubscribers('13900000000')).toThrow(/neither an e-mail address nor an E.164/);
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

  it('installs the SMS provider SDK beside the bundle of a function whose channel needs it', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Probe');
    const fn = new LandlineFunction(stack, 'Fn', {
      name: 'probe',
      entry: FIXTURE,
      nodeModules: ['tencentcloud-sdk-nodejs-sms'],
      tracing: false,
    });
    expect(fn).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: Match.absent(),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_TRACE_ENABLED: 'false' }) },
    });
  });
});
