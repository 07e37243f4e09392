/**
 * Page cursors as the API hands them out: the store's own cursor, signed with HMAC-SHA256 over the
 * caller's principal and the query it pages through. A client can only hand back what it was given
 * for the same question: a forged, garbled or edited cursor, or one minted for another principal or
 * other filters, is `invalid_cursor` before the store sees it, so no crafted start key (a partition
 * index of -1, a key of the wrong shape) ever reaches DynamoDB. The store's cursor inside is
 * base64url and means nothing to clients; they must not parse it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../domain/ids.js';
import { type Principal, principalId } from '../domain/model.js';
import { InvalidCursorError } from './errors.js';

/** What a cursor is valid for: who asks, which list, with which filters. */
export interface CursorScope {
  principal: Principal;
  list: string;
  filters: Record<string, unknown>;
}

export interface CursorCodec {
  /** The store's cursor (null: no more pages) as the client sees it. */
  seal(inner: string | null, scope: CursorScope): Promise<string | null>;
  /** The store's cursor inside a client's cursor, or InvalidCursorError. */
  open(cursor: string | undefined, scope: CursorScope): Promise<string | undefined>;
}

/** The signing key, possibly fetched (Secrets Manager in the cloud). */
export type CursorKey = () => Uint8Array | Promise<Uint8Array>;

const MAC_BYTES = 32;

export function createCursorCodec(key: CursorKey): CursorCodec {
  const mac = async (payload: string, scope: CursorScope) =>
    createHmac('sha256', await key())
      .update(
        canonicalJson({ principal: principalId(scope.principal), list: scope.list, filters: scope.filters }),
      )
      .update('\n')
      .update(payload)
      .digest();
  return {
    async seal(inner, scope) {
      if (inner === null) return null;
      const payload = Buffer.from(inner, 'utf8').toString('base64url');
      return `${payload}.${(await mac(payload, scope)).toString('base64url')}`;
    },
    async open(cursor, scope) {
      if (cursor === undefined) return undefined;
      const dot = cursor.indexOf('.');
      const payload = cursor.slice(0, dot);
      const signature = Buffer.from(cursor.slice(dot + 1), 'base64url');
      if (dot <= 0 || signature.length !== MAC_BYTES || !/^[A-Za-z0-9_-]+$/.test(payload))
        throw new InvalidCursorError('翻页游标无效：请原样传回上一页给出的游标。');
      if (!timingSafeEqual(signature, await mac(payload, scope)))
        throw new InvalidCursorError('翻页游标与本次查询不符：请传回同一查询上一页给出的游标。');
      return Buffer.from(payload, 'base64url').toString('utf8');
    },
  };
}
