import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runTokensCommand, UsageError } from '../../infra/ops/tokens.js';
import { DynamoAuditLog } from '../../shared/adapters/dynamo-audit-log.js';
import { InvalidCursorError } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoTokenStore } from '../../shared/adapters/dynamo-token-store.js';
import { hashToken } from '../../shared/http/auth.js';
import type { StoredToken, TokenStore } from '../../shared/ports/tokens.js';

class MemoryTokenStore implements TokenStore {
  readonly tokens = new Map<string, StoredToken>();
  async get(hash: string) {
    return this.tokens.get(hash);
  }
  async add(token: StoredToken) {
    if (this.tokens.has(token.hash)) throw new Error('exists');
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

async function run(store: TokenStore, ...argv: string[]) {
  const out: string[] = [];
  let minted = 0;
  await runTokensCommand(argv, {
    store,
    now: () => new Date('2026-11-28T10:00:00Z'),
    newToken: () => `token-${++minted}-${argv.join('-')}`,
    out: (line) => out.push(line),
  });
  return out;
}

describe('npm run tokens', () => {
  it('mints a token, prints it once and stores only its hash with principal, actor and label', async () => {
    const store = new MemoryTokenStore();
    const [token, summary] = await run(
      store,
      'mint',
      '--principal',
      'bureau:guli',
      '--name',
      '王五',
      '--role',
      'officer',
      '--label',
      'guli duty',
    );
    expect(summary).toMatch(/shown once/);
    const stored = [...store.tokens.values()];
    expect(stored).toEqual([
      {
        hash: hashToken(token!),
        principal: 'bureau:guli',
        actor: { name: '王五', role: 'officer' },
        label: 'guli duty',
        createdAt: '2026-11-28T10:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('refuses an unknown principal or role', async () => {
    const store = new MemoryTokenStore();
    await expect(run(store, 'mint', '--principal', 'bureau:nowhere')).rejects.toThrow(UsageError);
    await expect(
      run(store, 'mint', '--principal', 'brigade', '--name', 'x', '--role', 'boss'),
    ).rejects.toThrow(/role/);
    expect(store.tokens.size).toBe(0);
  });

  it('revokes by the token itself or by a unique hash prefix, and lists what it did', async () => {
    const store = new MemoryTokenStore();
    const [first] = await run(store, 'mint', '--principal', 'brigade');
    const [second] = await run(store, 'mint', '--principal', 'partner:police');
    await run(store, 'revoke', first!);
    expect(store.tokens.get(hashToken(first!))?.revokedAt).toBe('2026-11-28T10:00:00.000Z');
    await run(store, 'revoke', hashToken(second!).slice(0, 10));
    expect(store.tokens.get(hashToken(second!))?.revokedAt).toBeDefined();
    await expect(run(store, 'revoke', 'abc')).rejects.toThrow(/at least 8/);
    const listing = await run(store, 'list');
    expect(listing).toHaveLength(2);
    expect(listing.join('\n')).toMatch(/REVOKED/);
    expect(listing.join('\n')).not.toContain(first);
  });
});

describe('DynamoDB adapters for tokens and the audit trail', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  afterEach(() => ddb.reset());

  it('keys tokens by hash and never overwrites one', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { data: { hash: 'ab', principal: 'brigade', createdAt: 'x' } } });
    const store = new DynamoTokenStore(client, 'table');
    await store.add({ hash: 'AB', principal: 'brigade', createdAt: 'x' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'TOKEN#ab', sk: 'TOKEN' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    await expect(store.get('ab')).resolves.toMatchObject({ principal: 'brigade' });
  });

  it('reports revoking an unknown token as false', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await expect(new DynamoTokenStore(client, 'table').revoke('ab', 'now')).resolves.toBe(false);
  });

  it('appends audit records under the case and reads them back oldest first', async () => {
    ddb.on(PutCommand).resolves({});
    ddb
      .on(QueryCommand)
      .resolves({ Items: [{ data: { id: 'a1' } }], LastEvaluatedKey: { pk: 'AUDIT#c1', sk: 's' } });
    const log = new DynamoAuditLog(client, 'table');
    await log.record({
      id: 'a1',
      at: '2026-11-28T10:00:00.000Z',
      action: 'reporter.view',
      caseId: 'c1',
      caseNo: '2026-000001',
      tipId: 'tip_x',
      principal: 'brigade',
      reason: 'case view',
    });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'AUDIT#c1', sk: '2026-11-28T10:00:00.000Z#a1', type: 'audit' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const page = await log.listByCase('c1', 10);
    expect(page.items).toEqual([{ id: 'a1' }]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ ScanIndexForward: true });
    await expect(log.listByCase('c2', 10, page.cursor!)).rejects.toThrow(InvalidCursorError);
  });
});
