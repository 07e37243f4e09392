/**
 * Bearer-token authentication. Tokens are held only as SHA-256 digests and looked up by the digest
 * of what the caller sent: no comparison ever runs over the secret itself, so the time a lookup
 * takes says nothing about how close a guess was. Each token stands for exactly one principal
 * (and, optionally, the person using it).
 *
 * Two sources of tokens: a fixed map (the local run's API_TOKENS) and the table (the cloud's, minted
 * and revoked with `npm run tokens`), the latter behind a short cache so that a revocation takes
 * effect within `ttlMs` (60 s by default) without a table read per request.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parsePrincipal } from '../domain/access.js';
import { withCause } from '../domain/errors.js';
import type { Actor, Principal } from '../domain/model.js';
import type { TokenStore } from '../ports/tokens.js';
import { UnavailableError } from '../usecases/errors.js';
import { looksLikeJwt } from './cognito-auth.js';
import { UnauthenticatedError } from './errors.js';

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** What a token grants: a principal string, or a principal with the person using the token. */
export type TokenGrant = string | { principal: string; actor?: Actor };

const ACTOR_ROLES = new Set(['chief', 'officer']);

/** One API_TOKENS value: `"bureau:guli"` or `{"principal": "bureau:guli", "actor": {"name": "王五", "role": "officer"}}`. */
export const tokenGrantSchema = z.union([
  z.string(),
  z.object({
    principal: z.string(),
    actor: z
      .object({ name: z.string().trim().min(1).max(100), role: z.enum(['chief', 'officer']).optional() })
      .optional(),
  }),
]);

/** The principal a grant stands for; throws when the principal or the actor is malformed. */
export function principalOfGrant(grant: TokenGrant): Principal {
  const text = typeof grant === 'string' ? grant : grant.principal;
  const principal = typeof text === 'string' ? parsePrincipal(text) : undefined;
  if (!principal) throw new Error(`API token entry names an unknown principal: ${JSON.stringify(text)}`);
  if (typeof grant === 'string' || grant.actor === undefined) return principal;
  const { name, role } = grant.actor;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100)
    throw new Error('API token entry has an actor without a valid name');
  if (role !== undefined && !ACTOR_ROLES.has(role))
    throw new Error('API token entry has an actor role other than chief or officer');
  return { ...principal, actor: { name, ...(role ? { role } : {}) } };
}

/** The token of an `Authorization: Bearer <token>` header, or UnauthenticatedError. */
export function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new UnauthenticatedError('需要登录凭据：请发送"Authorization: Bearer <令牌>"。');
  return match[1];
}

const invalidToken = () => new UnauthenticatedError('登录凭据无效。');

export class TokenAuthenticator {
  private readonly byDigest = new Map<string, Principal>();

  /** `tokens` maps a plain token to what it grants (the local run's API_TOKENS). */
  static fromPlainTokens(tokens: Readonly<Record<string, TokenGrant>>): TokenAuthenticator {
    const digests: Record<string, TokenGrant> = {};
    for (const [token, grant] of Object.entries(tokens)) digests[hashToken(token)] = grant;
    return new TokenAuthenticator(digests);
  }

  /** `digests` maps hex SHA-256 of a token to what it grants. Malformed grants are refused. */
  constructor(digests: Readonly<Record<string, TokenGrant>>) {
    for (const [digest, grant] of Object.entries(digests)) {
      this.byDigest.set(digest.toLowerCase(), principalOfGrant(grant));
    }
  }

  /** The principal of a token digest, if this map holds it. */
  lookup(digest: string): Principal | undefined {
    return this.byDigest.get(digest);
  }

  /** The principal of an `Authorization: Bearer <token>` header, or UnauthenticatedError. */
  authenticate(authorization: string | undefined): Principal {
    const principal = this.byDigest.get(hashToken(bearerToken(authorization)));
    if (!principal) throw invalidToken();
    return principal;
  }
}

export interface StoredTokenAuthenticatorOptions {
  /** How long a looked-up token (valid or not) is remembered: the longest a revocation waits. */
  ttlMs?: number;
  /** Bound on remembered digests, so a flood of random tokens cannot grow memory. */
  maxEntries?: number;
  now?: () => number;
  /** Tokens checked before the table (the local run's API_TOKENS). */
  fixed?: TokenAuthenticator;
}

export const TOKEN_CACHE_TTL_MS = 60_000;

/** Authenticates against the TokenStore (hashed tokens in the table), with a short cache. */
export class StoredTokenAuthenticator {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly store: TokenStore,
    private readonly options: StoredTokenAuthenticatorOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? TOKEN_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const digest = hashToken(bearerToken(authorization));
    const fixed = this.options.fixed?.lookup(digest);
    if (fixed) return fixed;
    const principal = await this.lookup(digest);
    if (!principal) throw invalidToken();
    return principal;
  }

  private async lookup(digest: string): Promise<Principal | undefined> {
    const now = this.now();
    const cached = this.cache.get(digest);
    if (cached && cached.until > now) return cached.principal;
    let principal: Principal | undefined;
    try {
      const stored = await this.store.get(digest);
      principal =
        stored && !stored.revokedAt
          ? principalOfGrant({
              principal: stored.principal,
              ...(stored.actor ? { actor: stored.actor } : {}),
            })
          : undefined;
    } catch (error) {
      // The table being unreachable says nothing about the token: "retry", never "valid".
      throw withCause(new UnavailableError(), error);
    }
    this.cache.delete(digest);
    if (this.cache.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(digest, { principal, until: now + this.ttlMs });
    return principal;
  }
}

/** Resolves an `Authorization` header to a principal, or throws UnauthenticatedError. */
export interface ApiAuthenticator {
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/**
 * The API's authenticator: the fixed API_TOKENS map when given (a local run), then the hashed
 * tokens in `store` (`npm run tokens`), each looked up at most once a minute. With `people` (the
 * console's Cognito user pool, cognito-auth.ts), a bearer token shaped like a JWT is verified by it
 * instead.
 */
export function createApiAuthenticator(
  store: TokenStore,
  apiTokens?: Readonly<Record<string, TokenGrant>>,
  people?: { authenticate(jwt: string): Promise<Principal> },
): ApiAuthenticator {
  const tokens = new StoredTokenAuthenticator(store, {
    ...(apiTokens ? { fixed: TokenAuthenticator.fromPlainTokens(apiTokens) } : {}),
  });
  if (!people) return tokens;
  return {
    authenticate: async (authorization) => {
      const token = bearerToken(authorization);
      return looksLikeJwt(token) ? people.authenticate(token) : tokens.authenticate(authorization);
    },
  };
}

export const MIN_TOKEN_CHARS = 8;

/**
 * token → `"bureau:guli"` or `{"principal": "bureau:guli", "actor": {"name": "王五", "role": "officer"}}`.
 * Problems are reported by entry number: the tokens are the record's keys and must not be printed.
 */
export const apiTokensSchema = z
  .record(z.string(), z.unknown())
  .superRefine((tokens, ctx) => {
    Object.entries(tokens).forEach(([token, grant], index) => {
      const entry = `entry ${index + 1}`;
      // Tokens are the record's keys: problems are named by entry number, never by the token.
      if (token.length < MIN_TOKEN_CHARS)
        ctx.addIssue({
          code: 'custom',
          message: `${entry}: tokens must have at least ${MIN_TOKEN_CHARS} characters`,
        });
      const parsed = tokenGrantSchema.safeParse(grant);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          message: `${entry} must be a principal string or {"principal", "actor": {"name", "role"?}}`,
        });
        return;
      }
      try {
        principalOfGrant(parsed.data);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `${entry} names no known principal (brigade, bureau:<area>, partner:<dept>, source:<source>) or has an invalid actor`,
        });
      }
    });
  })
  .transform((tokens) => tokens as Record<string, z.infer<typeof tokenGrantSchema>>);
