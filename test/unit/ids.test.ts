import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, deriveCaseId, deriveTipId } from '../../shared/domain/ids.js';

describe('deriveTipId', () => {
  it('is stable, URL-safe and about 26 characters of hash', () => {
    const id = deriveTipId('12336', '12336-320581-20261128-0042');
    expect(id).toBe(deriveTipId('12336', '12336-320581-20261128-0042'));
    expect(id).toMatch(/^tip_[a-z2-7]{26}$/);
    expect(encodeURIComponent(id)).toBe(id);
  });

  it('differs per source for the same external id, and per external id', () => {
    const ids = new Set([
      deriveTipId('12336', 'X-1'),
      deriveTipId('12345', 'X-1'),
      deriveTipId('city-management', 'X-1'),
      deriveTipId('12336', 'X-2'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('keeps the source and external id apart (no concatenation ambiguity)', () => {
    expect(deriveTipId('12336', '5x')).not.toBe(deriveTipId('12345' as '12336', 'x'));
  });

  it('is pinned, so stored tip ids stay valid across releases', () => {
    expect(deriveTipId('12345', 'GD202611280123')).toBe('tip_bemr3l275gsm6bradtbpo3rwss');
  });
});

describe('deriveCaseId', () => {
  it('names the case after its first tip, distinct from the tip id', () => {
    const tipId = deriveTipId('12336', 'A');
    expect(deriveCaseId(tipId)).toMatch(/^case_[a-z2-7]{26}$/);
    expect(deriveCaseId(tipId)).toBe(deriveCaseId(tipId));
    expect(deriveCaseId(tipId).slice(5)).not.toBe(tipId.slice(4));
    expect(deriveCaseId(deriveTipId('12336', 'B'))).not.toBe(deriveCaseId(tipId));
  });
});

describe('contentHash', () => {
  it('ignores key order at every depth but not array order or values', () => {
    const a = { b: 1, a: { y: [1, 2], x: 'é' } };
    const b = { a: { x: 'é', y: [1, 2] }, b: 1 };
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ a: { x: 'é', y: [2, 1] }, b: 1 })).not.toBe(contentHash(a));
    expect(contentHash({ ...a, b: 2 })).not.toBe(contentHash(a));
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, null] })).toBe('{"a":[null,null]}');
  });
});
