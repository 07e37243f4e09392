/**
 * Which table an operator command acts on. One rule: `--local` means the local run recorded in
 * `$DATA_DIR/local-endpoints.json` (written by `npm start`; DATA_DIR defaults to `.local`), with
 * DynamoDB Local's endpoint, the local region and dummy credentials; without `--local` the command
 * uses the usual AWS variables (credentials, region, any AWS_ENDPOINT_URL_DYNAMODB) and
 * `--table`/TABLE_NAME, exactly as before. Never a guess between the two: a command that silently
 * picked the cloud when a local run was meant (or the reverse) would mint or revoke in the wrong place.
 */

import { DEFAULT_DATA_DIR } from '../local/dev-defaults.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/emulators.js';
import { localEndpointsPath, readLocalEndpoints } from '../local/endpoints-file.js';

export interface OpsTarget {
  kind: 'local' | 'aws';
  tableName: string;
  /** One line naming the target, printed before the command acts. */
  description: string;
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface TargetOptions {
  local: boolean;
  /** `--table`, which wins over the recorded or configured table. */
  table?: string;
  /** Read, and for `--local` updated so that SDK clients created afterwards reach DynamoDB Local. */
  env?: NodeJS.ProcessEnv;
}

export async function resolveOpsTarget(options: TargetOptions): Promise<OpsTarget> {
  const env = options.env ?? process.env;
  if (options.local) {
    const dataDir = env.DATA_DIR || DEFAULT_DATA_DIR;
    const endpoints = await readLocalEndpoints(dataDir);
    if (!endpoints) {
      throw new TargetError(
        `--local: no running local stack recorded in ${localEndpointsPath(dataDir)}; start one with npm start (same DATA_DIR)`,
      );
    }
    env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
    env.AWS_REGION = LOCAL_REGION;
    env.AWS_DEFAULT_REGION = LOCAL_REGION;
    env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    // A real session or profile must not leak into requests meant for the emulator.
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
    const tableName = options.table ?? endpoints.tableName;
    return {
      kind: 'local',
      tableName,
      description: `local run ${endpoints.url} (DynamoDB Local ${endpoints.dynamodb}, table ${tableName})`,
    };
  }
  const tableName = options.table ?? env.TABLE_NAME;
  if (!tableName)
    throw new TargetError('set TABLE_NAME or pass --table (or --local for the running npm start)');
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'from the AWS config';
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ? `, endpoint ${env.AWS_ENDPOINT_URL_DYNAMODB}` : '';
  return { kind: 'aws', tableName, description: `AWS (region ${region}${endpoint}, table ${tableName})` };
}
