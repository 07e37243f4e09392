import { describe, expect, it } from 'vitest';
import {
  hashToken,
  principalOfGrant,
  StoredTokenAuthenticator,
  TokenAuthenticator,
} from '../../shared/http/auth.js';
import { UnauthenticatedError } from '../../shared/http/errors.js';
import type { StoredToken, TokenStore } from '../../shared/ports/tokens.js';
import { UnavailableError } from '../../shared/usecases/errors.js';

class CountingTokenStore implements TokenStore {
  readonly tokens = new Map<string, StoredToken>();
  reads = 0;
  failing = false;
  async get(hash: string) {
    this.reads += 1;
    if (this.failing) throw new Error('table unreachable');
    return this.tokens.get(hash);
  }
  async add(token: StoredToken) {
    this.tokens.set(token.hash, token);
  }
  async revoke(hash: string, at: string) {
    const token = this.tokens.get(hash);
    if (!token) return false;
    token.revokedAt ??= at;
    return true;
  }
  async list() {
    return [...this.tokens.values()];
  }
}

const bearer = (token: string) => `Bearer ${token}`;

describe('token grants', () => {
  it('accepts a principal string or a principal with the person using the token', () => {
    expect(principalOfGrant('bureau:guli')).toEqual({ kind: 'bureau', area: 'guli' });
    expect(principalOfGrant({ principal: 'bureau:guli', actor: { name: '王五', role: 'officer' } })).toEqual({
      kind: 'bureau',
      area: 'guli',
      actor: { name: '王五', role: 'officer' },
    });
  });

  it('refuses unknown principals and malformed actors', () => {
    expect(() => principalOfGrant('bureau:atlantis')).toThrow(/unknown principal/);
    expect(() => principalOfGrant({ principal: 'brigade', actor: { name: ' ' } })).toThrow(/name/);
    expect(() =>
      principalOfGrant({ principal: 'brigade', actor: { name: '王五', role: 'boss' as never } }),
    ).toThrow(/role/);
  });

  it('maps plain API_TOKENS entries (strings and objects) by digest', () => {
    const auth = TokenAuthenticator.fromPlainTokens({
      'token-one-xyz': 'brigade',
      'token-two-xyz': { principal: 'partner:police', actor: { name: '赵六' } },
    });
    expect(auth.authenticate(bearer('token-two-xyz'))).toEqual({
      kind: 'partner',
      department: 'police',
      actor: { name: '赵六' },
    });
    expect(auth.lookup(hashToken('token-one-xyz'))).toEqual({ kind: 'brigade' });
    expect(() => auth.authenticate(bearer('token-one-xy'))).toThrow(/登录凭据无效/);
    expect(() => auth.authenticate(undefined)).toThrow(/需要登录凭据/);
  });
});

describe('StoredTokenAuthenticator', () => {
  const setup = async () => {
    const store = new CountingTokenStore();
    await store.add({
      hash: hashToken('stored-token-1'),
      principal: 'bureau:haiyu',
      actor: { name: '王五', role: 'officer' },
      createdAt: '2026-11-28T00:00:00.000Z',
    });
    let now = 1_000_000;
    const auth = new StoredTokenAuthenticator(store, { ttlMs: 60_000, maxEntries: 3, now: () => now });
    return { store, auth, advance: (ms: number) => (now += ms) };
  };

  it('authenticates a stored token by its hash and caches the answer', async () => {
    const { store, auth } = await setup();
    await expect(auth.authenticate(bearer('stored-token-1'))).resolves.toEqual({
      kind: 'bureau',
      area: 'haiyu',
      actor: { name: '王五', role: 'officer' },
    });
    await auth.authenticate(bearer('stored-token-1'));
    expect(store.reads).toBe(1);
  });

  it('refuses a revoked token once the cache entry expires (within the TTL)', async () => {
    const { store, auth, advance } = await setup();
    await auth.authenticate(bearer('stored-token-1'));
    await store.revoke(hashToken('stored-token-1'), '2026-11-28T01:00:00.000Z');
    advance(59_000);
    await expect(auth.authenticate(bearer('stored-token-1'))).resolves.toBeDefined();
    advance(2_000);
    await expect(auth.authenticate(bearer('stored-token-1'))).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('remembers unknown tokens too, in a bounded cache', async () => {
    const { store, auth } = await setup();
    for (const guess of ['g1', 'g2', 'g3', 'g4', 'g1']) {
      await expect(auth.authenticate(bearer(guess))).rejects.toBeInstanceOf(UnauthenticatedError);
    }
    // g1 was evicted by g4 (at most three entries), so it is read again.
    expect(store.reads).toBe(5);
    await expect(auth.authenticate(bearer('g4'))).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(store.reads).toBe(5);
  });

  it('answers 503, never "valid", when the table cannot be read', async () => {
    const { store, auth } = await setup();
    store.failing = true;
    await expect(auth.authenticate(bearer('stored-token-1'))).rejects.toBeInstanceOf(UnavailableError);
  });

  it('checks the fixed tokens first, without a table read', async () => {
    const store = new CountingTokenStore();
    const auth = new StoredTokenAuthenticator(store, {
      fixed: TokenAuthenticator.fromPlainTokens({ 'dev-brigade': 'brigade' }),
    });
    await expect(auth.authenticate(bearer('dev-brigade'))).resolves.toEqual({ kind: 'brigade' });
    expect(store.reads).toBe(0);
  });
});
