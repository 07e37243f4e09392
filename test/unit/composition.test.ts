/**
 * Each function's composition root: built from its environment alone (no call to any service at
 * build time), failing at cold start with a ConfigError that names each bad variable, and reading
 * only the variables its function needs: the notifier, which writes no case, reads no reminder lead.
 */
import { describe, expect, it } from 'vitest';
import { buildCaseApi } from '../../shared/composition/api.js';
import { deadlinePolicyFromEnv } from '../../shared/composition/deadline-policy.js';
import { buildIntake } from '../../shared/composition/intake.js';
import { buildNotifier } from '../../shared/composition/notify.js';
import { buildRouter } from '../../shared/composition/route.js';
import { buildSweeper } from '../../shared/composition/sweep.js';
import { ConfigError } from '../../shared/config/env.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import { TEST_SECRETS } from '../fixtures/tips.js';

const QUEUES = JSON.stringify({ brigade: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/triage' });
const CASE_WRITER_ENV = { TABLE_NAME: 'landline-test', ASSIGNMENT_QUEUE_URLS: QUEUES };
const API_ENV = {
  ...CASE_WRITER_ENV,
  REPORTER_KEY_FILE: '/tmp/landline-never-read.key',
  CURSOR_KEY: 'a-test-cursor-key-of-at-least-32-characters',
};
const NOTIFY_ENV = { TABLE_NAME: 'landline-test', NOTIFY_MODE: 'outbox', OUTBOX_FILE: '/tmp/outbox.jsonl' };
const INTAKE_ENV = {
  INTAKE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/intake',
  TABLE_NAME: 'landline-test',
  SOURCE_SECRET_12336: TEST_SECRETS['12336'],
  SOURCE_SECRET_12345: TEST_SECRETS['12345'],
  SOURCE_SECRET_CITY_MANAGEMENT: TEST_SECRETS['city-management'],
  REPORTER_KEY_FILE: '/tmp/landline-never-read.key',
};

describe('the composition roots', () => {
  it('build every function from a complete environment', () => {
    expect(Object.keys(buildIntake(INTAKE_ENV)).sort()).toEqual([
      'clock',
      'queue',
      'secrets',
      'tips',
      'vault',
    ]);
    expect(buildRouter(CASE_WRITER_ENV).routeMessage).toBeTypeOf('function');
    expect(buildNotifier(NOTIFY_ENV).notifyMessage).toBeTypeOf('function');
    expect(buildCaseApi(API_ENV).deps.store).toBeDefined();
    expect(buildSweeper(CASE_WRITER_ENV).sweep).toBeTypeOf('function');
  });

  it('give the case API its OpenAPI document once loaded, the module left out of the cold start', async () => {
    const api = buildCaseApi(API_ENV);
    expect(() => api.deps.openApiDocument()).toThrow(/loadOpenApiDocument/);
    await api.loadOpenApiDocument();
    expect(api.deps.openApiDocument()).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });

  it('fail at cold start naming every bad variable', () => {
    expect(() => buildRouter({ ASSIGNMENT_QUEUE_URLS: 'not json' })).toThrow(ConfigError);
    expect(() => buildRouter({ ASSIGNMENT_QUEUE_URLS: 'not json' })).toThrow(
      /TABLE_NAME[\s\S]*ASSIGNMENT_QUEUE_URLS|ASSIGNMENT_QUEUE_URLS[\s\S]*TABLE_NAME/,
    );
    expect(() => buildNotifier({ ...NOTIFY_ENV, NOTIFY_MODE: 'sns' })).toThrow(/TOPIC_ARNS/);
    expect(() => buildNotifier({ ...NOTIFY_ENV, NOTIFY_CLAIM_LEASE_S: '0' })).toThrow(/NOTIFY_CLAIM_LEASE_S/);
    expect(() => buildIntake({ ...INTAKE_ENV, INTAKE_QUEUE_URL: ' ' })).toThrow(/INTAKE_QUEUE_URL/);
    expect(() => buildCaseApi({ ...API_ENV, API_TOKENS: '{' })).toThrow(/API_TOKENS/);
  });

  it('read the reminder lead in every case writer, and not in the notifier', () => {
    const badLead = { REMINDER_LEAD_MINUTES: 'soon' };
    expect(() => buildRouter({ ...CASE_WRITER_ENV, ...badLead })).toThrow(/REMINDER_LEAD_MINUTES/);
    expect(() => buildCaseApi({ ...API_ENV, ...badLead })).toThrow(/REMINDER_LEAD_MINUTES/);
    expect(() => buildSweeper({ ...CASE_WRITER_ENV, ...badLead })).toThrow(/REMINDER_LEAD_MINUTES/);
    expect(() => buildNotifier({ ...NOTIFY_ENV, ...badLead })).not.toThrow();
  });

  it("give the writers the domain's deadline policy, its reminder lead set by REMINDER_LEAD_MINUTES", () => {
    expect(deadlinePolicyFromEnv({})).toEqual(DEFAULT_DEADLINE_POLICY);
    expect(deadlinePolicyFromEnv({ REMINDER_LEAD_MINUTES: '30' })).toEqual({
      ...DEFAULT_DEADLINE_POLICY,
      reminderLeadMs: 30 * 60_000,
    });
  });
});
