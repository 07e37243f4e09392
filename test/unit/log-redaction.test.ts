import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactLogValue } from '../../shared/observability.js';

describe('log redaction', () => {
  it('withholds reporter, caller, identity, phone and credential keys at any depth', () => {
    const text = JSON.stringify(
      {
        tip: { reporter: { name: '金丝雀测试人', phone: '13700000042' }, caller: { name: '李女士' } },
        identity: { name: '张三' },
        headers: { authorization: 'Bearer secret-token' },
        phone: '0512-5555555',
        caseNo: '2026-000042',
      },
      redactLogValue,
    );
    for (const secret of ['金丝雀测试人', '13700000042', '李女士', '张三', 'secret-token', '0512-5555555'])
      expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    expect(text).toContain('2026-000042');
  });

  it('masks a mobile number inside any string, and leaves other numbers alone', () => {
    expect(redactLogValue('message', '回电 13700000042 或 2026-000042')).toBe(
      '回电 1********** 或 2026-000042',
    );
    expect(redactLogValue('externalId', '12336-320581-20261128-0042')).toBe('12336-320581-20261128-0042');
  });

  it('is applied by a Powertools logger configured like the shared one', () => {
    const lines: string[] = [];
    const logger = new Logger({ serviceName: 'test', jsonReplacerFn: redactLogValue });
    // biome-ignore lint/suspicious/noExplicitAny: the logger's console is private; the test replaces it.
    (logger as any).console = { info: (line: string) => lines.push(line) };
    logger.info('caller 13700000042 phoned', {
      reporter: { name: '金丝雀测试人' },
      error: new Error('13700000042'),
    });
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/13700000042|金丝雀测试人/);
  });
});
