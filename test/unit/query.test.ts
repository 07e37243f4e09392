import { describe, expect, it } from 'vitest';
import {
  auditQuerySchema,
  caseListQuerySchema,
  ledgerQuerySchema,
  parseAuditReason,
  parseQuery,
} from '../../shared/http/query.js';
import { ValidationError } from '../../shared/usecases/errors.js';

function rejection(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('parseQuery', () => {
  it('turns query strings into typed inputs, defaults applied', () => {
    expect(parseQuery(caseListQuerySchema, undefined)).toEqual({ limit: 20 });
    expect(parseQuery(caseListQuerySchema, { area: 'triage', overdue: 'true', limit: '5' })).toEqual({
      area: 'triage',
      overdue: 'true',
      limit: 5,
    });
    const caseId = 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa';
    expect(parseQuery(auditQuerySchema, { caseId })).toEqual({ caseId, limit: 50 });
    expect(parseQuery(ledgerQuerySchema, { year: '2026', bureau: 'bureau:guli' })).toEqual({
      year: 2026,
      bureau: 'guli',
    });
    expect(parseQuery(ledgerQuerySchema, { bureau: 'haiyu' })).toEqual({ bureau: 'haiyu' });
  });

  it('names every failing parameter, without echoing its value', () => {
    const error = rejection(() =>
      parseQuery(caseListQuerySchema, { area: 'CANARY', limit: '0', status: 'CANARY' }),
    );
    expect(error.message).toBe('查询参数有误。');
    expect(error.details?.map((detail) => detail.path).sort()).toEqual(['area', 'limit', 'status']);
    expect(JSON.stringify(error.details)).not.toContain('CANARY');
  });

  it('says what a ledger bureau must look like', () => {
    expect(rejection(() => parseQuery(ledgerQuerySchema, { bureau: 'paris' })).details).toEqual([
      { path: 'bureau', message: '须为属地编码或bureau:<属地编码>' },
    ]);
    expect(rejection(() => parseQuery(ledgerQuerySchema, { year: '1999' })).details?.[0]?.path).toBe('year');
  });
});

describe('parseAuditReason', () => {
  it('collapses whitespace and counts characters, not UTF-16 units', () => {
    expect(parseAuditReason({ reason: '  回访\n  举报人 ' })).toBe('回访 举报人');
    expect(parseAuditReason({ reason: '𠮷'.repeat(200) })).toBe('𠮷'.repeat(200));
  });

  it('answers a reason over 200 characters as before', () => {
    const error = rejection(() => parseAuditReason({ reason: 'x'.repeat(201) }));
    expect(error.message).toBe('查看原因过长。');
    expect(error.details).toEqual([{ path: 'reason', message: '长度不得超过200个字符' }]);
  });
});
