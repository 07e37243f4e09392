/**
 * Bearer-token authentication. Tokens are held only as SHA-256 digests and looked up by the digest
 * of what the caller sent: no comparison ever runs over the secret itself, so the time a lookup
 * takes says nothing about how close a guess was.
 */
import { createHash } from 'node:crypto';
import { parsePrincipal } from '../domain/access.js';
import type { Principal } from '../domain/model.js';
import { UnauthenticatedError } from './errors.js';

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export class TokenAuthenticator {
  private readonly byDigest = new Map<string, Principal>();

  /** `tokens` maps a plain token to a principal string (the local run's API_TOKENS). */
  static fromPlainTokens(tokens: Readonly<Record<string, string>>): TokenAuthenticator {
    const digests: Record<string, string> = {};
    for (const [token, principal] of Object.entries(tokens)) digests[hashToken(token)] = principal;
    return new TokenAuthenticator(digests);
  }

  /** `digests` maps hex SHA-256 of a token to a principal string. Malformed principals are refused. */
  constructor(digests: Readonly<Record<string, string>>) {
    for (const [digest, text] of Object.entries(digests)) {
      const principal = parsePrincipal(text);
      if (!principal) throw new Error(`API token entry names an unknown principal: ${JSON.stringify(text)}`);
      this.byDigest.set(digest.toLowerCase(), principal);
    }
  }

  /** The principal of an `Authorization: Bearer <token>` header, or UnauthenticatedError. */
  authenticate(authorization: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1])
      throw new UnauthenticatedError('A bearer token is required: send "Authorization: Bearer <token>".');
    const principal = this.byDigest.get(hashToken(match[1]));
    if (!principal) throw new UnauthenticatedError('The bearer token is not valid.');
    return principal;
  }
}
