/**
 * `npm start`: the whole pipeline on this machine (contract section 6). Configuration comes from
 * the environment with development defaults; the banner prints them.
 */
import { z } from 'zod';
import { ConfigError, jsonVar, parseEnv } from '../../shared/config/env.js';
import { SOURCES } from '../../shared/domain/model.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_PORT,
  DEFAULT_SWEEP_INTERVAL_S,
  DEV_API_TOKENS,
  DEV_SOURCE_SECRETS,
} from './dev-defaults.js';
import { LocalRunError } from './errors.js';
import { type LocalStack, startLocalStack } from './stack.js';

const secretList = z
  .string()
  .trim()
  .regex(
    /^whsec_[A-Za-z0-9+/=]+( +whsec_[A-Za-z0-9+/=]+)*$/,
    'must be one or more whsec_<base64> separated by spaces',
  );

const LocalEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  SOURCE_SECRET_12336: secretList.default(DEV_SOURCE_SECRETS['12336']),
  SOURCE_SECRET_12345: secretList.default(DEV_SOURCE_SECRETS['12345']),
  SOURCE_SECRET_CITY_MANAGEMENT: secretList.default(DEV_SOURCE_SECRETS['city-management']),
  API_TOKENS: jsonVar(
    z.record(
      z.string().min(1),
      z.string().regex(/^(brigade|bureau:[a-z]+|partner:[a-z_]+|source:[a-z0-9-]+)$/, 'is not a principal'),
    ),
  ).default(DEV_API_TOKENS),
  SWEEP_INTERVAL_S: z.coerce.number().int().min(1).default(DEFAULT_SWEEP_INTERVAL_S),
});

/** The settings left to their development defaults; read before the stack writes process.env. */
const defaulted = new Set(
  ['SOURCE_SECRET_12336', 'SOURCE_SECRET_12345', 'SOURCE_SECRET_CITY_MANAGEMENT', 'API_TOKENS'].filter(
    (name) => process.env[name] === undefined || process.env[name] === '',
  ),
);
const isDefault = (name: string) => defaulted.has(name);

function banner(stack: LocalStack, env: z.infer<typeof LocalEnv>): string {
  const lines = [
    '',
    `landline local run ready at ${stack.url}  (health: ${stack.url}/health)`,
    `  data dir:  ${stack.dataDir}`,
    `  outbox:    ${stack.outboxFile}`,
    `  sweep:     every ${env.SWEEP_INTERVAL_S} s`,
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
  lines.push('', 'API tokens (Authorization: Bearer <token>):');
  if (isDefault('API_TOKENS')) {
    for (const [token, principal] of Object.entries(env.API_TOKENS))
      lines.push(`  ${token.padEnd(28)} ${principal}`);
    lines.push('  (development only: set API_TOKENS for anything else)');
  } else {
    lines.push(`  ${Object.keys(env.API_TOKENS).length} token(s) from API_TOKENS`);
  }
  lines.push('', 'Try it: npm run demo        Stop: Ctrl-C (drains queued work first)', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  // Read by the logger (lead): readable lines for a person at a terminal.
  process.env.LOG_FORMAT ??= 'pretty';
  const env = parseEnv(LocalEnv);
  console.log(`landline: starting (data dir ${env.DATA_DIR}, port ${env.PORT}) …`);
  const stack = await startLocalStack({
    port: env.PORT,
    dataDir: env.DATA_DIR,
    secrets: {
      '12336': env.SOURCE_SECRET_12336,
      '12345': env.SOURCE_SECRET_12345,
      'city-management': env.SOURCE_SECRET_CITY_MANAGEMENT,
    },
    apiTokens: env.API_TOKENS,
    sweepIntervalS: env.SWEEP_INTERVAL_S,
  });
  console.log(banner(stack, env));

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
    stack.stop().then(
      () => {
        console.log('landline: stopped cleanly; queued work is finished or saved for the next start.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`landline: stopping failed: ${error instanceof Error ? error.message : String(error)}`);
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
