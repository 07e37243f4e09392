/**
 * API tokens at rest: only the SHA-256 digest of each token is stored, with the one principal it
 * stands for. A revoked token stays listed (who had it, when it stopped) but authenticates nobody.
 */
import type { Actor } from '../domain/model.js';

export interface StoredToken {
  /** Hex SHA-256 of the token. */
  hash: string;
  /** `brigade`, `bureau:<area>`, `partner:<dept>` or `source:<source>`. */
  principal: string;
  actor?: Actor;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

export interface TokenStore {
  get(hash: string): Promise<StoredToken | undefined>;
  /** Adds a token; fails when its hash is already stored. */
  add(token: StoredToken): Promise<void>;
  /** Marks the token revoked at `at`; false when no such token exists. */
  revoke(hash: string, at: string): Promise<boolean>;
  list(): Promise<StoredToken[]>;
}
