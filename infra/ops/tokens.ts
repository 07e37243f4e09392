/**
 * `npm run tokens -- <command>`: API tokens for the cloud (and for a local run, beside API_TOKENS).
 *
 *   mint --principal bureau:guli [--name 王五 --role officer] [--label "guli duty phone"]
 *        prints the new token once; only its SHA-256 is stored
 *   revoke <token | hash prefix>      the API refuses it within a minute (its token cache)
 *   list                              hash prefixes, principals, actors, labels, created, revoked
 *
 * The table is --table or TABLE_NAME. Credentials and region come from the usual AWS variables;
 * `--local` targets the running `npm start` instead (infra/ops/target.ts). The target is printed first.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoTokenStore } from '../../shared/adapters/dynamo-token-store.js';
import type { Actor } from '../../shared/domain/model.js';
import { hashToken, principalOfGrant } from '../../shared/http/auth.js';
import type { StoredToken, TokenStore } from '../../shared/ports/tokens.js';
import { type OpsTarget, resolveOpsTarget, TargetError } from './target.js';

export const HASH_PREFIX_CHARS = 12;
/** A shorter prefix would match by accident too easily to revoke by. */
const MIN_REVOKE_PREFIX = 8;

export interface TokensCliDeps {
  store: TokenStore;
  now?: () => Date;
  newToken?: () => string;
  out?: (line: string) => void;
}

export class UsageError extends Error {}

const USAGE = `usage: npm run tokens -- mint --principal <principal> [--name <name> --role chief|officer] [--label <text>]
       npm run tokens -- revoke <token | hash prefix>
       npm run tokens -- list
options: --table <name> (default: TABLE_NAME)
         --local (the running npm start, from $DATA_DIR/local-endpoints.json)`;

/** 32 random bytes, base64url: 256 bits, nothing to guess. */
export const newApiToken = (): string => randomBytes(32).toString('base64url');

export async function runTokensCommand(argv: string[], deps: TokensCliDeps): Promise<void> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      principal: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      table: { type: 'string' },
      local: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case 'mint': {
      if (!values.principal) throw new UsageError('mint needs --principal');
      if (values.role && !values.name) throw new UsageError('--role needs --name');
      const actor = values.name
        ? ({ name: values.name, ...(values.role ? { role: values.role } : {}) } as Actor)
        : undefined;
      let principal: string;
      try {
        principalOfGrant({ principal: values.principal, ...(actor ? { actor } : {}) });
        principal = values.principal;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const token = (deps.newToken ?? newApiToken)();
      const record: StoredToken = {
        hash: hashToken(token),
        principal,
        ...(actor ? { actor } : {}),
        ...(values.label ? { label: values.label } : {}),
        createdAt: now().toISOString(),
      };
      await deps.store.add(record);
      out(token);
      out(
        `minted for ${principal}${actor ? ` (${actor.name})` : ''}, hash ${record.hash.slice(0, HASH_PREFIX_CHARS)}: shown once, store it now`,
      );
      return;
    }
    case 'revoke': {
      const [given] = rest;
      if (!given || rest.length > 1) throw new UsageError('revoke needs one token or hash prefix');
      const target = await resolveToken(deps.store, given);
      await deps.store.revoke(target.hash, now().toISOString());
      out(
        `revoked ${target.hash.slice(0, HASH_PREFIX_CHARS)} (${target.principal}); the API refuses it within a minute`,
      );
      return;
    }
    case 'list': {
      const tokens = await deps.store.list();
      if (tokens.length === 0) out('no tokens in the table');
      for (const token of tokens) {
        out(
          [
            token.hash.slice(0, HASH_PREFIX_CHARS),
            token.principal.padEnd(24),
            token.actor ? `${token.actor.name}${token.actor.role ? `/${token.actor.role}` : ''}` : '-',
            token.label ?? '-',
            `created ${token.createdAt}`,
            token.revokedAt ? `REVOKED ${token.revokedAt}` : 'active',
          ].join('  '),
        );
      }
      return;
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'a command is required');
  }
}

/** The token itself (looked up by its hash) or a unique hex prefix of a stored hash. */
async function resolveToken(store: TokenStore, given: string): Promise<StoredToken> {
  const byToken = await store.get(hashToken(given));
  if (byToken) return byToken;
  const prefix = given.toLowerCase();
  if (!/^[0-9a-f]+$/.test(prefix) || prefix.length < MIN_REVOKE_PREFIX) {
    throw new UsageError(`no such token; a hash prefix needs at least ${MIN_REVOKE_PREFIX} hex characters`);
  }
  const matches = (await store.list()).filter((token) => token.hash.startsWith(prefix));
  if (matches.length === 0) throw new UsageError('no token has this hash prefix');
  if (matches.length > 1) throw new UsageError('several tokens have this hash prefix; give more of it');
  return matches[0] as StoredToken;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const tableFlag = argv.indexOf('--table');
  const table = tableFlag >= 0 ? argv[tableFlag + 1] : undefined;
  let target: OpsTarget;
  try {
    target = await resolveOpsTarget({ local: argv.includes('--local'), ...(table ? { table } : {}) });
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  }
  // stderr: stdout of `mint` stays the token alone on its first line.
  console.error(`tokens: target ${target.description}`);
  // Imported only now: the client reads the endpoint and credentials the target has just set.
  const { dynamoDocumentClient } = await import('../../shared/adapters/clients/dynamodb.js');
  await runTokensCommand(argv, { store: new DynamoTokenStore(dynamoDocumentClient, target.tableName) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
    else console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
