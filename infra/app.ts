/**
 * The cloud deployment: `cdk synth -c env=<name>` (cdk.json defaults to `dev`). Stacks are
 * environment-agnostic (no account/region lookups) so synthesis works offline.
 */
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from './config.js';
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

export interface LandlineApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export interface BuildAppOptions {
  readonly app?: App;
  /** Overrides the `env` context. */
  readonly envName?: string;
  /** Handler files per function (tests use fixtures); default `functions/<name>/handler.ts`. */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

export function buildApp(options: BuildAppOptions = {}): LandlineApp {
  const app = options.app ?? new App();
  for (const [key, value] of Object.entries(DEFAULT_CONTEXT)) {
    if (app.node.tryGetContext(key) === undefined) app.node.setContext(key, value);
  }
  const envName = options.envName ?? String(app.node.tryGetContext('env') ?? 'dev');
  const config = loadConfig(envName);
  const tags = { project: 'landline', environment: envName };

  const stateful = new StatefulStack(app, `Landline-${envName}-Stateful`, {
    config,
    description: `landline ${envName}: case table and keys (retained)`,
    terminationProtection: envName === 'prod',
    tags,
  });
  const stateless = new StatelessStack(app, `Landline-${envName}-Stateless`, {
    config,
    description: `landline ${envName}: API, queues, topics, functions, alarms`,
    table: stateful.table,
    messagingKey: stateful.messagingKey,
    reporterKey: stateful.reporterKey,
    consoleUsers: stateful.consoleUsers,
    entries: options.entries,
    tags,
  });

  if (stateless.console)
    new ConsoleFilesStack(app, `Landline-${envName}-ConsoleFiles`, {
      site: stateless.console,
      description: `landline ${envName}: the console's files`,
      tags,
    });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}

// Synthesize only when run as the CDK app, so tests can import buildApp without side effects.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().app.synth();
}
