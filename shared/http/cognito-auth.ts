/**
 * People sign in to the console with an Amazon Cognito user pool (contract section 11); the API
 * accepts the pool's JWTs beside the hashed bearer tokens that machines use. A JWT is verified
 * with `aws-jwt-verify` (signature against the pool's JWKS, issuer, expiry, client id, token use),
 * then its `cognito:groups` name the principal and its user the person (the Actor every audited
 * action records).
 *
 * Groups: `brigade`, `bureau-<area>`, `partner-<dept>`, `leader-<district>`. A user must be in
 * exactly one of them; other groups of the pool are ignored.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksValidationError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { principalOfGroup } from '../domain/access.js';
import { withCause } from '../domain/errors.js';
import { type Actor, type Principal, principalId } from '../domain/model.js';
import { ForbiddenError, UnavailableError } from '../usecases/errors.js';
import { UnauthenticatedError } from './errors.js';

export { principalOfGroup };

export interface CognitoSettings {
  userPoolId: string;
  clientId: string;
}

/** What the authenticator needs of a verifier: the claims of a valid token, or a throw. */
export interface JwtVerifierLike {
  verify(token: string): Promise<Record<string, unknown>>;
}

/** Three base64url parts separated by dots: bearer tokens (base64url, no dots) never look like this. */
export const looksLikeJwt = (token: string): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

const ROLES = new Set(['chief', 'officer']);

/** The person behind the token: the `name` attribute where set, else the user name. */
function actorOfClaims(claims: Record<string, unknown>): Actor | undefined {
  const candidates = [claims.name, claims['cognito:username'], claims.username];
  const name = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '');
  if (!name) return undefined;
  const role = claims['custom:role'];
  return {
    name: name.trim().slice(0, 100),
    ...(typeof role === 'string' && ROLES.has(role) ? { role: role as Actor['role'] } : {}),
  };
}

/** The principal (with its actor) of a verified token's claims; 403 without exactly one landline group. */
export function principalOfClaims(claims: Record<string, unknown>): Principal {
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
  const principals = new Map<string, Principal>();
  for (const group of groups) {
    const principal = typeof group === 'string' ? principalOfGroup(group) : undefined;
    if (principal) principals.set(principalId(principal), principal);
  }
  if (principals.size === 0)
    throw new ForbiddenError(
      '登录用户不属于本系统的任何用户组（brigade、bureau-<属地>、partner-<部门>、leader-<片区>），请联系管理员分配。',
    );
  if (principals.size > 1)
    throw new ForbiddenError('登录用户同时属于本系统的多个用户组，须由管理员只保留其中一个。');
  const [principal] = [...principals.values()] as [Principal];
  const actor = actorOfClaims(claims);
  return actor ? { ...principal, actor } : principal;
}

export class CognitoAuthenticator {
  constructor(private readonly verifier: JwtVerifierLike) {}

  /**
   * The pool's verifier; it fetches the pool's JWKS on first use and keeps it for the life of the
   * process. `jwks` primes that cache (a deployment without a route to the JWKS URL, and tests).
   */
  static forPool(settings: CognitoSettings, options: { jwks?: Jwks } = {}): CognitoAuthenticator {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: settings.userPoolId,
      clientId: settings.clientId,
      // ID tokens carry the person's name, access tokens only the user name: both are accepted.
      tokenUse: null,
    });
    if (options.jwks) verifier.cacheJwks(options.jwks);
    return new CognitoAuthenticator({
      verify: async (token) => (await verifier.verify(token)) as Record<string, unknown>,
    });
  }

  async authenticate(token: string): Promise<Principal> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      // The pool's keys being unreachable says nothing about the token: "retry", never "invalid".
      if (error instanceof FetchError || error instanceof JwksValidationError)
        throw withCause(new UnavailableError(), error);
      throw withCause(new UnauthenticatedError('登录凭据无效或已过期，请重新登录。'), error);
    }
    return principalOfClaims(claims);
  }
}
