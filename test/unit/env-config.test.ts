import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assignmentQueueUrls,
  ConfigError,
  parseEnv,
  reminderLeadMsFromEnv,
} from '../../shared/config/env.js';

describe('environment configuration shared by the functions', () => {
  it('reads one reminder lead for every writer of cases: two hours unless REMINDER_LEAD_MINUTES says', () => {
    expect(reminderLeadMsFromEnv({})).toBe(120 * 60_000);
    expect(reminderLeadMsFromEnv({ REMINDER_LEAD_MINUTES: '240' })).toBe(240 * 60_000);
    expect(reminderLeadMsFromEnv({ REMINDER_LEAD_MINUTES: '0' })).toBe(0);
    expect(() => reminderLeadMsFromEnv({ REMINDER_LEAD_MINUTES: '-5' })).toThrow(ConfigError);
    expect(() => reminderLeadMsFromEnv({ REMINDER_LEAD_MINUTES: 'soon' })).toThrow(/REMINDER_LEAD_MINUTES/);
  });

  it('parses ASSIGNMENT_QUEUE_URLS as a JSON map of queue URLs, naming the variable when it is not', () => {
    const schema = z.object({ ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls });
    const url = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/landline-triage';
    expect(parseEnv(schema, { ASSIGNMENT_QUEUE_URLS: JSON.stringify({ brigade: url }) })).toEqual({
      ASSIGNMENT_QUEUE_URLS: { brigade: url },
    });
    expect(() => parseEnv(schema, { ASSIGNMENT_QUEUE_URLS: '{' })).toThrow(
      /ASSIGNMENT_QUEUE_URLS: is not valid JSON/,
    );
    expect(() => parseEnv(schema, { ASSIGNMENT_QUEUE_URLS: '{"brigade":"nope"}' })).toThrow(
      /ASSIGNMENT_QUEUE_URLS\.brigade/,
    );
  });
});
