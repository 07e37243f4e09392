/**
 * TokenStore in the single table: pk=TOKEN#<sha256 hex>, sk=TOKEN. The token itself is never
 * stored, so a copy of the table (or a backup) lets nobody in.
 */

import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StoredToken, TokenStore } from '../ports/tokens.js';
import { isConditionFailure } from './dynamo-conditions.js';

export const tokenKey = (hash: string) => ({ pk: `TOKEN#${hash.toLowerCase()}`, sk: 'TOKEN' });

export class DynamoTokenStore implements TokenStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(hash: string): Promise<StoredToken | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: tokenKey(hash), ConsistentRead: true }),
    );
    return result.Item?.data as StoredToken | undefined;
  }

  async add(token: StoredToken): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...tokenKey(token.hash), type: 'token', data: token },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async revoke(hash: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tokenKey(hash),
          // The first revocation time is the one that counts.
          UpdateExpression: 'SET #data.#revokedAt = if_not_exists(#data.#revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#data': 'data', '#revokedAt': 'revokedAt' },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** An operator's listing: a filtered scan, fine for the handful of tokens an agency holds. */
  async list(): Promise<StoredToken[]> {
    const tokens: StoredToken[] = [];
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': 'TOKEN#' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) tokens.push(item.data as StoredToken);
    }
    return tokens.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
