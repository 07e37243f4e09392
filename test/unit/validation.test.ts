import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_DETAILS, zodIssuesToDetails } from '../../shared/domain/validation-details.js';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected issues');
  return result.error.issues;
};

describe('zodIssuesToDetails', () => {
  it('dot-joins paths, uses (root) for the body itself, and words messages from the rule', () => {
    const schema = z.object({
      a: z.object({ b: z.array(z.string().max(2)) }),
      n: z.number().min(1),
      e: z.enum(['x', 'y']),
      r: z.string(),
    });
    expect(zodIssuesToDetails(issuesOf(schema, { a: { b: ['ok', 'long'] }, n: 0, e: 'z' }))).toEqual([
      { path: 'a.b.1', message: '长度不得超过2个字符' },
      { path: 'n', message: '不得小于1' },
      { path: 'e', message: '须为以下之一：x, y' },
      { path: 'r', message: '为必填项' },
    ]);
    expect(zodIssuesToDetails(issuesOf(schema, 'CANARY'))).toEqual([
      { path: '(root)', message: '须为对象（收到字符串）' },
    ]);
  });

  it('does not echo unrecognized key names of a strict object', () => {
    const details = zodIssuesToDetails(issuesOf(z.strictObject({}), { CANARY_KEY: 1 }));
    expect(JSON.stringify(details)).not.toContain('CANARY_KEY');
  });

  it('caps the list and says how many more problems there are', () => {
    const details = zodIssuesToDetails(
      issuesOf(
        z.array(z.string()),
        Array.from({ length: MAX_DETAILS + 5 }, () => 1),
      ),
    );
    expect(details).toHaveLength(MAX_DETAILS + 1);
    expect(details.at(-1)).toEqual({ path: '(root)', message: '另有5个问题未列出' });
  });
});
