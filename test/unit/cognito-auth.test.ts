/**
 * Console sign-in: the Cognito user pool's JWTs, verified by aws-jwt-verify against a key pair made
 * here (its JWKS primed into the verifier, so nothing is fetched), mapped to principals by group and
 * to the signed-in person; the API's authenticator sends JWTs there and bearer tokens to the table.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCaseApi } from '../../shared/composition/api.js';
import { ConfigError } from '../../shared/config/env.js';
import { parsePrincipal } from '../../shared/domain/access.js';
import { createApiAuthenticator, hashToken } from '../../shared/http/auth.js';
import {
  CognitoAuthenticator,
  looksLikeJwt,
  principalOfClaims,
  principalOfGroup,
} from '../../shared/http/cognito-auth.js';
import { UnauthenticatedError } from '../../shared/http/errors.js';
import type { StoredToken, TokenStore } from '../../shared/ports/tokens.js';
import { ForbiddenError } from '../../shared/usecases/errors.js';

const POOL = 'cn-north-1_Landline1';
const CLIENT = 'abcdefghij0123456789klmnop';
const ISSUER = `https://cognito-idp.cn-north-1.amazonaws.com/${POOL}`;
const KID = 'landline-test-key';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const poolKeys = pair();
const strangerKeys = pair();
const { n, e } = poolKeys.publicKey.export({ format: 'jwk' });
const jwks = { keys: [{ kty: 'RSA', n: n!, e: e!, kid: KID, alg: 'RS256', use: 'sig' }] };

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwt(claims: Record<string, unknown>, key: KeyObject = poolKeys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url({ alg: 'RS256', kid: KID, typ: 'JWT' });
  const payload = b64url({
    sub: '5f1c0a6e-0000-4000-8000-000000000001',
    iss: ISSUER,
    aud: CLIENT,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    'cognito:username': 'wangwu',
    ...claims,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const people = CognitoAuthenticator.forPool({ userPoolId: POOL, clientId: CLIENT }, { jwks });

describe('Cognito groups', () => {
  it('map to the principals of contract section 1', () => {
    expect(principalOfGroup('brigade')).toEqual({ kind: 'brigade' });
    expect(principalOfGroup('bureau-meili')).toEqual({ kind: 'bureau', area: 'meili' });
    expect(principalOfGroup('partner-urban_management')).toEqual({
      kind: 'partner',
      department: 'urban_management',
    });
    // Whatever the principal parser knows of leaders, the group names it the same way.
    expect(principalOfGroup('leader-district-3')).toEqual(parsePrincipal('leader:district-3'));
  });

  it('name nothing for sources, unknown areas and other groups of the pool', () => {
    for (const group of ['source-12345', 'bureau-nowhere', 'partner-army', 'admins', 'bureau:meili', ''])
      expect(principalOfGroup(group)).toBeUndefined();
  });

  it('must leave exactly one landline principal', () => {
    expect(() => principalOfClaims({ 'cognito:groups': ['admins'] })).toThrow(ForbiddenError);
    expect(() => principalOfClaims({})).toThrow(ForbiddenError);
    expect(() => principalOfClaims({ 'cognito:groups': ['brigade', 'bureau-guli'] })).toThrow(/多个用户组/);
    expect(principalOfClaims({ 'cognito:groups': ['admins', 'bureau-guli'], name: '李四' })).toEqual({
      kind: 'bureau',
      area: 'guli',
      actor: { name: '李四' },
    });
  });
});

describe('Cognito tokens', () => {
  it('sign in a bureau officer as the person named in the token', async () => {
    const token = jwt({ 'cognito:groups': ['bureau-meili'], name: '王五', 'custom:role': 'officer' });
    expect(looksLikeJwt(token)).toBe(true);
    await expect(people.authenticate(token)).resolves.toEqual({
      kind: 'bureau',
      area: 'meili',
      actor: { name: '王五', role: 'officer' },
    });
  });

  it('accept access tokens, naming the person by user name', async () => {
    const token = jwt({
      token_use: 'access',
      aud: undefined,
      client_id: CLIENT,
      username: 'zhaoliu',
      'cognito:username': undefined,
      'cognito:groups': ['brigade'],
    });
    await expect(people.authenticate(token)).resolves.toEqual({
      kind: 'brigade',
      actor: { name: 'zhaoliu' },
    });
  });

  it('refuse expired tokens, other clients, other issuers and other keys', async () => {
    const groups = { 'cognito:groups': ['brigade'] };
    const refused = [
      jwt({ ...groups, exp: Math.floor(Date.now() / 1000) - 60 }),
      jwt({ ...groups, aud: 'anotherclient0000000000000' }),
      jwt({ ...groups, iss: 'https://cognito-idp.cn-north-1.amazonaws.com/cn-north-1_Other' }),
      jwt(groups, strangerKeys.privateKey),
      `${jwt(groups).slice(0, -4)}AAAA`,
    ];
    for (const token of refused)
      await expect(people.authenticate(token)).rejects.toThrow(UnauthenticatedError);
  });
});

describe('the API authenticator with a user pool', () => {
  const store: TokenStore = {
    get: async (hash: string): Promise<StoredToken | undefined> =>
      hash === hashToken('machine-token-0001')
        ? { hash, principal: 'source:12345', createdAt: '2026-11-01T00:00:00Z' }
        : undefined,
    add: async () => {},
    revoke: async () => false,
    list: async () => [],
  };
  const auth = createApiAuthenticator(store, { 'dev-bureau-guli': 'bureau:guli' }, people);

  it('verifies JWTs with the pool and bearer tokens as before', async () => {
    await expect(
      auth.authenticate(`Bearer ${jwt({ 'cognito:groups': ['partner-police'] })}`),
    ).resolves.toMatchObject({ kind: 'partner', department: 'police' });
    await expect(auth.authenticate('Bearer machine-token-0001')).resolves.toEqual({
      kind: 'source',
      source: '12345',
    });
    await expect(auth.authenticate('Bearer dev-bureau-guli')).resolves.toEqual({
      kind: 'bureau',
      area: 'guli',
    });
    await expect(auth.authenticate('Bearer a.b.c')).rejects.toThrow(UnauthenticatedError);
    await expect(auth.authenticate(undefined)).rejects.toThrow(UnauthenticatedError);
  });
});

describe('the case API configuration', () => {
  const env = {
    TABLE_NAME: 'landline-test',
    ASSIGNMENT_QUEUE_URLS: JSON.stringify({ brigade: 'https://sqs.cn-north-1.amazonaws.com.cn/1/triage' }),
    REPORTER_KEY_FILE: '/tmp/landline-never-read.key',
    CURSOR_KEY: 'a-test-cursor-key-of-at-least-32-characters',
  };

  it('takes the user pool and its client together, or neither', () => {
    expect(
      buildCaseApi({ ...env, COGNITO_USER_POOL_ID: POOL, COGNITO_CLIENT_ID: CLIENT }).deps.auth,
    ).toBeDefined();
    expect(() => buildCaseApi({ ...env, COGNITO_USER_POOL_ID: POOL })).toThrow(ConfigError);
    expect(() => buildCaseApi({ ...env, COGNITO_USER_POOL_ID: 'pool', COGNITO_CLIENT_ID: CLIENT })).toThrow(
      /COGNITO_USER_POOL_ID/,
    );
  });
});
