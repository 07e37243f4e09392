/**
 * The cloud deployment: `cdk synth -c env=<name>` (cdk.json defaults to `dev`). Each environment
 * names its region in infra/config.ts, so the partition's differences (China regions: no X-Ray, no
 * SNS SMS, ICP) are decided at synth time; the account stays the credentials' unless configured,
 * and nothing is looked up, so synthesis works offline.
 *
 * `-c operationsSubscribers=<e-mails and numbers>` names who receives the alarms (kept in Parameter
 * Store, never in the repository); a production environment refuses to synthesize without it.
 */
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { configProblems, type EnvConfig, loadConfig, parseOperationsSubscribers } from './config.js';
import { ConsoleFilesStack } from './constructs/console.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { type FunctionName, StatelessStack } from './stacks/stateless-stack.js';

/** Feature flags this app relies on, set here so tests and `cdk synth` build the same templates. */
const DEFAULT_CONTEXT: Readonly<Record<string, unknown>> = {
  // Stateless consumes the stateful stack's exports; "strong" keeps CloudFormation from deleting
  // an export (and so the table or a key) while it is still in use.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // notify holds a statement per queue and topic; merged statements keep its role under IAM's size limit.
  '@aws-cdk/aws-iam:minimizePolicies': true,
};

/** The context key of the operations subscribers. */
export const OPERATIONS_SUBSCRIBERS_CONTEXT = 'operationsSubscribers';

export interface LandlineApp {
  readonly app: App;
  readonly config: EnvConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export interface BuildAppOptions {
  readonly app?: App;
  /** Overrides the `env` context. */
  readonly envName?: string;
  /** Overrides the environment's configuration (tests). */
  readonly config?: EnvConfig;
  /** Handler files per function (tests use fixtures); default `functions/<name>/handler.ts`. */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

export class ConfigurationError extends Error {
  constructor(problems: readonly string[]) {
    super(`Cannot synthesize:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

export function buildApp(options: BuildAppOptions = {}): LandlineApp {
  const app = options.app ?? new App();
  for (const [key, value] of Object.entries(DEFAULT_CONTEXT)) {
    if (app.node.tryGetContext(key) === undefined) app.node.setContext(key, value);
  }
  const envName =
    options.envName ?? options.config?.envName ?? String(app.node.tryGetContext('env') ?? 'dev');
  const config = options.config ?? loadConfig(envName);
  const subscribers = parseOperationsSubscribers(app.node.tryGetContext(OPERATIONS_SUBSCRIBERS_CONTEXT));
  const problems = configProblems(config, subscribers);
  if (problems.length > 0) throw new ConfigurationError(problems);

  const tags = { project: 'landline', environment: config.envName };
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const stateful = new StatefulStack(app, `Landline-${config.envName}-Stateful`, {
    config,
    env,
    description: `landline ${config.envName}: case table, keys, dead letters and operator secrets (retained)`,
    terminationProtection: config.production,
    tags,
  });
  const stateless = new StatelessStack(app, `Landline-${config.envName}-Stateless`, {
    config,
    env,
    description: `landline ${config.envName}: API, queues, topics, functions, alarms`,
    table: stateful.table,
    messagingKey: stateful.messagingKey,
    reporterKey: stateful.reporterKey,
    deadLetterQueues: stateful.deadLetterQueues,
    sourceSecrets: stateful.sourceSecrets,
    feedbackEndpointSecrets: stateful.feedbackEndpointSecrets,
    smsSecret: stateful.smsSecret,
    smtpSecret: stateful.smtpSecret,
    operationsSubscribers: subscribers,
    consoleUsers: stateful.consoleUsers,
    entries: options.entries,
    terminationProtection: config.production,
    tags,
  });

  if (stateless.console)
    new ConsoleFilesStack(app, `Landline-${config.envName}-ConsoleFiles`, {
      site: stateless.console,
      env,
      description: `landline ${config.envName}: the console's files`,
      tags,
    });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, config, stateful, stateless };
}

// Synthesize only when run as the CDK app, so tests can import buildApp without side effects.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().app.synth();
}
