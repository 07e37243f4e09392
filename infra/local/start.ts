/**
 * `npm start`: the whole pipeline on this machine (contract section 6). Configuration comes from
 * the environment with development defaults; the banner prints them.
 */
import { clockStartingAt } from '../../shared/adapters/clock.js';
import { ConfigError, parseEnv } from '../../shared/config/env.js';
import { feedbackSecretVariable, feedbackUrlVariable } from '../../shared/config/feedback-variables.js';
import { SOURCES, type Source } from '../../shared/domain/model.js';
import { buildConsole, consoleBuildNeeded } from './console-build.js';
import { devFeedbackUrl } from './dev-defaults.js';
import { removeLocalEndpoints, writeLocalEndpoints } from './endpoints-file.js';
import { LocalRunError } from './errors.js';
import { LocalEnv, type LocalEnvValues } from './local-env.js';
import { type LocalStack, startLocalStack } from './stack.js';

/** The settings left to their development defaults; read before the stack writes process.env. */
const defaulted = new Set(
  [
    'SOURCE_SECRET_12336',
    'SOURCE_SECRET_12345',
    'SOURCE_SECRET_CITY_MANAGEMENT',
    'API_TOKENS',
    ...SOURCES.map(feedbackSecretVariable),
  ].filter((name) => process.env[name] === undefined || process.env[name] === ''),
);
/** FEEDBACK_URL_<SOURCE> not set at all: the development default applies (set but empty: none). */
const feedbackUrlDefaulted = new Set(
  SOURCES.filter((source) => process.env[feedbackUrlVariable(source)] === undefined),
);
const isDefault = (name: string) => defaulted.has(name);

/**
 * FEEDBACK_URL_<SOURCE> (contract 9): unset, the development default (the receiver `npm run demo`
 * starts); set but empty, none (that source gets no deliveries).
 */
function feedbackUrls(port: number): Partial<Record<Source, string>> {
  const urls: Partial<Record<Source, string>> = {};
  for (const source of SOURCES) {
    const value = process.env[feedbackUrlVariable(source)];
    if (feedbackUrlDefaulted.has(source)) urls[source] = devFeedbackUrl(source, port);
    else if (value?.trim()) urls[source] = value.trim();
  }
  return urls;
}

function banner(
  stack: LocalStack,
  env: LocalEnvValues,
  endpointsFile: string,
  feedback: Partial<Record<Source, string>>,
): string {
  const lines = [
    '',
    `landline local run ready at ${stack.url}  (health: ${stack.url}/health)`,
    `  console:   ${stack.url}/console/  (sign in as any development principal)`,
    `  data dir:  ${stack.dataDir}`,
    `  outbox:    ${stack.outboxFile}`,
    `  dynamodb:  ${stack.endpoints.dynamodb}  table ${stack.tableName}`,
    `  sqs:       ${stack.endpoints.sqs}`,
    `  endpoints: ${endpointsFile}  (npm run tokens -- --local, npm run calendar:load -- --local)`,
    `  sweep:     every ${env.SWEEP_INTERVAL_S} s`,
    // Contract 7: periods and report months before it are never decided.
    `  reporting: from ${process.env.REPORTING_START?.trim() || 'the first day this data dir ran (stored in the table)'} (REPORTING_START)`,
    ...(env.LOCAL_NOW
      ? [`  clock:     started at ${env.LOCAL_NOW.toISOString()} (LOCAL_NOW, development only)`]
      : []),
    '',
    'Source secrets (Standard Webhooks):',
  ];
  const secrets = {
    '12336': ['SOURCE_SECRET_12336', env.SOURCE_SECRET_12336],
    '12345': ['SOURCE_SECRET_12345', env.SOURCE_SECRET_12345],
    'city-management': ['SOURCE_SECRET_CITY_MANAGEMENT', env.SOURCE_SECRET_CITY_MANAGEMENT],
  } as const;
  for (const source of SOURCES) {
    const [name, value] = secrets[source];
    lines.push(
      `  ${source.padEnd(16)} ${isDefault(name) ? `${value}  (development only)` : '(from the environment)'}`,
    );
  }
  lines.push('', `Feedback to the sources (contract 9; relay every ${env.FEEDBACK_RELAY_INTERVAL_S} s):`);
  for (const source of SOURCES) {
    const url = feedback[source];
    lines.push(
      `  ${source.padEnd(16)} ${url ?? '(none: FEEDBACK_URL_ set empty)'}${
        feedbackUrlDefaulted.has(source) ? '  (development default: the npm run demo receiver)' : ''
      }${isDefault(feedbackSecretVariable(source)) ? '; development secret' : ''}`,
    );
  }
  if (process.env.FEEDBACK_RETRY_SCHEDULE_S)
    lines.push(`  retry schedule: ${process.env.FEEDBACK_RETRY_SCHEDULE_S} s (FEEDBACK_RETRY_SCHEDULE_S)`);
  lines.push('', 'API tokens (Authorization: Bearer <token>):');
  if (isDefault('API_TOKENS')) {
    for (const [token, grant] of Object.entries(env.API_TOKENS))
      lines.push(`  ${token.padEnd(28)} ${typeof grant === 'string' ? grant : grant.principal}`);
    lines.push('  (development only: set API_TOKENS for anything else)');
  } else {
    lines.push(`  ${Object.keys(env.API_TOKENS).length} token(s) from API_TOKENS`);
  }
  lines.push('', 'Try it: npm run demo        Stop: Ctrl-C (drains queued work first)', '');
  return lines.join('\n');
}

/** Builds the console when its bundle is missing or stale; the API runs whether or not that works. */
async function prepareConsole(): Promise<void> {
  try {
    if (await consoleBuildNeeded()) {
      console.log('landline: building the console (console/dist) …');
      await buildConsole();
    }
  } catch (error) {
    console.error(`landline: ${error instanceof Error ? error.message : String(error)}`);
    console.error('landline: starting without the console; /console/ says how to build it.');
  }
}

async function main(): Promise<void> {
  // Read by the logger (lead): readable lines for a person at a terminal.
  process.env.LOG_FORMAT ??= 'pretty';
  const env = parseEnv(LocalEnv);
  console.log(`landline: starting (data dir ${env.DATA_DIR}, port ${env.PORT}) …`);
  const feedback = feedbackUrls(env.PORT);
  await prepareConsole();
  const stack = await startLocalStack({
    port: env.PORT,
    dataDir: env.DATA_DIR,
    secrets: {
      '12336': env.SOURCE_SECRET_12336,
      '12345': env.SOURCE_SECRET_12345,
      'city-management': env.SOURCE_SECRET_CITY_MANAGEMENT,
    },
    apiTokens: env.API_TOKENS,
    cursorKey: env.CURSOR_KEY,
    sweepIntervalS: env.SWEEP_INTERVAL_S,
    ...(env.LOCAL_NOW ? { clock: clockStartingAt(env.LOCAL_NOW) } : {}),
    feedback: { urls: feedback, relayIntervalS: env.FEEDBACK_RELAY_INTERVAL_S },
  });
  const endpointsFile = await writeLocalEndpoints(stack.dataDir, {
    dynamodb: stack.endpoints.dynamodb,
    sqs: stack.endpoints.sqs,
    tableName: stack.tableName,
    url: stack.url,
  });
  console.log(banner(stack, env, endpointsFile, feedback));

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      console.error(`landline: ${signal} again, exiting now without draining.`);
      process.exit(130);
    }
    console.log(
      `landline: ${signal} received: refusing new tips, finishing queued work (Ctrl-C again to force) …`,
    );
    stack
      .stop()
      // Only a clean stop removes it: after a failure the emulators may still be up.
      .then(() => removeLocalEndpoints(stack.dataDir))
      .then(
        () => {
          console.log('landline: stopped cleanly; queued work is finished or saved for the next start.');
          process.exit(0);
        },
        (error: unknown) => {
          console.error(
            `landline: stopping failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

main().catch((error: unknown) => {
  if (error instanceof LocalRunError) {
    console.error(`landline: ${error.message}`);
  } else if (error instanceof ConfigError) {
    console.error(`landline: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
