import { describe, expect, it } from 'vitest';
import {
  canReadCase,
  canReadTip,
  canSeeReporter,
  listScope,
  parsePrincipal,
} from '../../shared/domain/access.js';
import type { Principal, TipRecord } from '../../shared/domain/model.js';
import { TokenAuthenticator } from '../../shared/http/auth.js';
import { UnauthenticatedError } from '../../shared/http/errors.js';
import { caseRecord } from '../support/case-record.js';

const brigade: Principal = { kind: 'brigade' };
const ownBureau: Principal = { kind: 'bureau', area: 'shajiabang' };
const otherBureau: Principal = { kind: 'bureau', area: 'guli' };
const planning: Principal = { kind: 'partner', department: 'planning' };
const police: Principal = { kind: 'partner', department: 'police' };
const source12336: Principal = { kind: 'source', source: '12336' };

describe('principals', () => {
  it('parses every kind and refuses anything else', () => {
    expect(parsePrincipal('brigade')).toEqual(brigade);
    expect(parsePrincipal('bureau:guli')).toEqual(otherBureau);
    expect(parsePrincipal('partner:police')).toEqual(police);
    expect(parsePrincipal('source:city-management')).toEqual({ kind: 'source', source: 'city-management' });
    for (const bad of ['bureau:nowhere', 'partner:army', 'source:110', 'admin', 'bureau:guli:x', 'bureau']) {
      expect(parsePrincipal(bad)).toBeUndefined();
    }
  });
});

describe('case access', () => {
  const record = caseRecord();
  it.each([
    [brigade, true],
    [ownBureau, true],
    [otherBureau, false],
    [planning, true],
    [police, false],
    [source12336, false],
  ] as const)('%o reads the case: %s', (principal, allowed) => {
    expect(canReadCase(principal, record)).toBe(allowed);
  });

  it('shows reporter data to the brigade and the own bureau only, confidential callers to the brigade only', () => {
    expect(canSeeReporter(brigade, record)).toBe(true);
    expect(canSeeReporter(ownBureau, record)).toBe(true);
    expect(canSeeReporter(otherBureau, record)).toBe(false);
    expect(canSeeReporter(planning, record)).toBe(false);
    const confidential = caseRecord({ reporter: { anonymous: false, confidential: true, sealed: 's' } });
    expect(canSeeReporter(brigade, confidential)).toBe(true);
    expect(canSeeReporter(ownBureau, confidential)).toBe(false);
    expect(canSeeReporter(brigade, caseRecord({ reporter: { anonymous: true } }))).toBe(false);
  });

  it('lets a source read its own tips only', () => {
    const tip: TipRecord = {
      tipId: 't',
      source: '12336',
      externalId: 'e',
      caseId: record.caseId,
      status: 'routed',
      receivedAt: '',
      contentHashes: [],
    };
    expect(canReadTip(source12336, tip, undefined)).toBe(true);
    expect(canReadTip({ kind: 'source', source: '12345' }, tip, undefined)).toBe(false);
    expect(canReadTip(ownBureau, tip, record)).toBe(true);
    expect(canReadTip(otherBureau, tip, record)).toBe(false);
  });

  it('confines lists to the caller’s area or notices', () => {
    expect(listScope(brigade, undefined)).toEqual({});
    expect(listScope(brigade, 'triage')).toEqual({ area: 'triage' });
    expect(listScope(ownBureau, undefined)).toEqual({ area: 'shajiabang' });
    expect(listScope(ownBureau, 'guli')).toBe('forbidden');
    expect(listScope(planning, undefined)).toEqual({ partner: 'planning' });
    expect(listScope(source12336, undefined)).toBe('forbidden');
  });
});

describe('TokenAuthenticator', () => {
  const auth = TokenAuthenticator.fromPlainTokens({
    'token-brigade-1': 'brigade',
    'token-guli-1': 'bureau:guli',
  });
  it('maps a bearer token to its principal', () => {
    expect(auth.authenticate('Bearer token-brigade-1')).toEqual(brigade);
    expect(auth.authenticate('bearer token-guli-1')).toEqual(otherBureau);
  });
  it.each([undefined, '', 'token-brigade-1', 'Basic abc', 'Bearer wrong-token', 'Bearer '])(
    'refuses %o',
    (header) => {
      expect(() => auth.authenticate(header)).toThrow(UnauthenticatedError);
    },
  );
  it('refuses a configuration naming an unknown principal', () => {
    expect(() => TokenAuthenticator.fromPlainTokens({ 'some-token-1': 'root' })).toThrow(/unknown principal/);
  });
});
