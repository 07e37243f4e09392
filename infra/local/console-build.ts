/**
 * The console's bundle is never committed: `npm start` (and the browser tests' setup) build it here
 * when `console/dist` is missing or older than anything it is built from. Offline: Vite and its
 * plugins are already in node_modules. The build runs in a child process, so a failure leaves the
 * caller's process as it was.
 */
import { spawn } from 'node:child_process';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalRunError } from './errors.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE_DIR = join(PROJECT_ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/** What the bundle is built from: the console's sources and the pure modules and data it reads. */
const SOURCES = [
  join(CONSOLE_DIR, 'src'),
  join(CONSOLE_DIR, 'index.html'),
  join(CONSOLE_DIR, 'vite.config.ts'),
  join(PROJECT_ROOT, 'shared', 'domain'),
  join(PROJECT_ROOT, 'shared', 'config', 'jurisdiction', 'data'),
  join(PROJECT_ROOT, 'package-lock.json'),
];

async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestChange(join(path, entry)));
  return newest;
}

/** True when `console/dist` is missing or older than one of its sources. */
export async function consoleBuildNeeded(dist = CONSOLE_DIST): Promise<boolean> {
  const built = await stat(join(dist, 'index.html')).catch(() => undefined);
  if (!built) return true;
  const sources = await Promise.all(SOURCES.map(newestChange));
  return Math.max(...sources) > built.mtimeMs;
}

/** The command that builds the console into `outDir`: the project's own Vite, offline. */
export function consoleBuildCommand(outDir: string): { command: string; args: string[]; cwd: string } {
  const viteBin = join(
    dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  return {
    command: process.execPath,
    args: [
      viteBin,
      'build',
      '--config',
      join(CONSOLE_DIR, 'vite.config.ts'),
      '--outDir',
      outDir,
      '--logLevel',
      'warn',
    ],
    cwd: PROJECT_ROOT,
  };
}

/**
 * Builds the console into a fresh directory and then swaps it in, so a server reading `dist` never
 * sees half a build. Rejects with a LocalRunError carrying Vite's output when the build fails.
 */
export async function buildConsole(dist = CONSOLE_DIST): Promise<void> {
  const staging = `${dist}.building-${process.pid}`;
  const { command, args, cwd } = consoleBuildCommand(staging);
  const output: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new LocalRunError(
      `the console could not be built (npm run console:build):\n${output.join('').trim()}`,
    );
  }
  const old = `${dist}.old-${process.pid}`;
  await rename(dist, old).catch(() => {});
  await rename(staging, dist);
  await rm(old, { recursive: true, force: true });
}

/** Builds the console when needed; says what it did. */
export async function ensureConsoleBuilt(dist = CONSOLE_DIST): Promise<'fresh' | 'built'> {
  if (!(await consoleBuildNeeded(dist))) return 'fresh';
  await buildConsole(dist);
  return 'built';
}
