/**
 * The local run's configuration and `$DATA_DIR/local-endpoints.json`, through which
 * `npm run tokens -- --local` and `npm run calendar:load -- --local` reach a running `npm start`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LOCAL_ENDPOINTS_FILE,
  LocalEndpointsError,
  readLocalEndpoints,
  removeLocalEndpoints,
  writeLocalEndpoints,
} from '../../infra/local/endpoints-file.js';
import { LocalEnv } from '../../infra/local/local-env.js';
import { runCalendarLoad } from '../../infra/ops/calendar-load.js';
import { resolveOpsTarget, TargetError } from '../../infra/ops/target.js';
import { runTokensCommand } from '../../infra/ops/tokens.js';
import type { CalendarScheduleStore } from '../../shared/adapters/dynamo-calendar-store.js';
import { ConfigError, parseEnv } from '../../shared/config/env.js';
import { statutoryHolidays } from '../../shared/domain/calendar.js';
import type { StoredToken, TokenStore } from '../../shared/ports/tokens.js';
import { MemoryCaseStore } from '../support/memory-ports.js';

const endpoints = {
  dynamodb: 'http://127.0.0.1:45123',
  sqs: 'http://127.0.0.1:45124',
  tableName: 'landline-local',
  url: 'http://127.0.0.1:3000',
};

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'landline-endpoints-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('API_TOKENS of the local run', () => {
  it('accepts principal strings and {principal, actor} objects', () => {
    const tokens = {
      'token-one': 'brigade',
      'token-two': { principal: 'bureau:guli', actor: { name: '王五', role: 'officer' } },
      'token-three': { principal: 'partner:planning' },
    };
    const env = parseEnv(LocalEnv, { API_TOKENS: JSON.stringify(tokens) });
    expect(env.API_TOKENS).toEqual(tokens);
  });

  it('refuses unknown principals and bad actors by entry number, never printing a token', () => {
    for (const grant of [
      'bureau:atlantis',
      { principal: 'bureau:guli', actor: { name: '王五', role: 'mayor' } },
      { principal: 'bureau:guli', actor: { name: '' } },
      42,
    ]) {
      const parse = () => parseEnv(LocalEnv, { API_TOKENS: JSON.stringify({ 'secret-token-x': grant }) });
      expect(parse).toThrow(ConfigError);
      expect(parse).toThrow(/API_TOKENS.*entry 1/);
      expect(parse).not.toThrow(/secret-token-x/);
    }
    // The API refuses tokens shorter than 8 characters; so does the start, before anything runs.
    expect(() => parseEnv(LocalEnv, { API_TOKENS: '{"short":"brigade"}' })).toThrow(/entry 1.*8 characters/);
  });
});

describe('local-endpoints.json', () => {
  it('is written whole, read back, and removed', async () => {
    const path = await writeLocalEndpoints(dataDir, endpoints);
    expect(path).toBe(join(dataDir, LOCAL_ENDPOINTS_FILE));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(endpoints);
    expect(await readLocalEndpoints(dataDir)).toEqual(endpoints);
    await removeLocalEndpoints(dataDir);
    expect(existsSync(path)).toBe(false);
    expect(await readLocalEndpoints(dataDir)).toBeUndefined();
    await removeLocalEndpoints(dataDir);
  });

  it('says so when the file is not one', async () => {
    await writeFile(join(dataDir, LOCAL_ENDPOINTS_FILE), '{"dynamodb": 1}');
    await expect(readLocalEndpoints(dataDir)).rejects.toBeInstanceOf(LocalEndpointsError);
  });
});

describe('the target of tokens and calendar:load', () => {
  it('--local points the SDK at the recorded DynamoDB Local with dummy credentials and its table', async () => {
    await writeLocalEndpoints(dataDir, endpoints);
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: dataDir,
      TABLE_NAME: 'landline-prod-cases',
      AWS_PROFILE: 'prod',
      AWS_SESSION_TOKEN: 'session',
    };
    const target = await resolveOpsTarget({ local: true, env });
    expect(target).toMatchObject({ kind: 'local', tableName: 'landline-local' });
    expect(target.description).toContain('http://127.0.0.1:45123');
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:45123',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(
      (await resolveOpsTarget({ local: true, table: 'other', env: { DATA_DIR: dataDir } })).tableName,
    ).toBe('other');
  });

  it('--local without a running local stack is an error naming the file', async () => {
    await expect(resolveOpsTarget({ local: true, env: { DATA_DIR: dataDir } })).rejects.toThrow(
      new RegExp(`${LOCAL_ENDPOINTS_FILE}.*npm start`),
    );
  });

  it('without --local keeps the AWS configuration untouched, even when a local stack runs', async () => {
    await writeLocalEndpoints(dataDir, endpoints);
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: dataDir,
      TABLE_NAME: 'landline-prod-cases',
      AWS_REGION: 'cn-north-1',
    };
    const target = await resolveOpsTarget({ local: false, env });
    expect(target).toMatchObject({ kind: 'aws', tableName: 'landline-prod-cases' });
    expect(target.description).toContain('cn-north-1');
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
    await expect(resolveOpsTarget({ local: false, env: {} })).rejects.toBeInstanceOf(TargetError);
  });

  it('the commands accept --local beside their own options', async () => {
    const store: TokenStore = {
      get: async () => undefined,
      add: async (_token: StoredToken) => {},
      revoke: async () => false,
      list: async () => [],
    };
    const out: string[] = [];
    await runTokensCommand(['list', '--local'], { store, out: (line) => out.push(line) });
    expect(out).toEqual(['no tokens in the table']);

    const file = join(dataDir, 'schedule.json');
    await writeFile(file, JSON.stringify({ year: 2027, holidays: statutoryHolidays(2027), workdays: [] }));
    const schedules: CalendarScheduleStore = { load: async () => [], save: async () => undefined };
    const result = await runCalendarLoad([file, '--dry-run', '--local'], {
      schedules,
      cases: new MemoryCaseStore(),
      out: () => {},
    });
    expect(result.schedule.year).toBe(2027);
  });
});
