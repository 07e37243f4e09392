/**
 * `$DATA_DIR/local-endpoints.json`: where a running `npm start` can be reached, so that operator
 * commands (`npm run calendar:load -- --local`, `npm run tokens -- --local`) need no copied ports.
 * Written once the stack is ready, removed on a clean stop; a file left by a crash points at
 * endpoints nobody answers on, and the commands say so.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const LOCAL_ENDPOINTS_FILE = 'local-endpoints.json';

export const localEndpointsSchema = z.object({
  dynamodb: z.url(),
  sqs: z.url(),
  tableName: z.string().min(1),
  url: z.url(),
});
export type LocalEndpoints = z.infer<typeof localEndpointsSchema>;

export const localEndpointsPath = (dataDir: string): string => join(dataDir, LOCAL_ENDPOINTS_FILE);

/** Writes the file whole (temp file + rename): a reader never sees half of it. */
export async function writeLocalEndpoints(dataDir: string, endpoints: LocalEndpoints): Promise<string> {
  const path = localEndpointsPath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(localEndpointsSchema.parse(endpoints), null, 2)}\n`, 'utf8');
  await rename(temporary, path);
  return path;
}

export async function removeLocalEndpoints(dataDir: string): Promise<void> {
  await rm(localEndpointsPath(dataDir), { force: true });
}

export class LocalEndpointsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalEndpointsError';
  }
}

/** The endpoints of the local run using `dataDir`, or undefined when none is recorded there. */
export async function readLocalEndpoints(dataDir: string): Promise<LocalEndpoints | undefined> {
  const path = localEndpointsPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LocalEndpointsError(`${path} is not valid JSON; restart npm start to rewrite it`);
  }
  const parsed = localEndpointsSchema.safeParse(value);
  if (!parsed.success)
    throw new LocalEndpointsError(`${path} is not a local-endpoints file; restart npm start`);
  return parsed.data;
}
