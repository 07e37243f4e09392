/**
 * The console on a local run (contract section 11): the built files of `console/dist` at
 * `/console/` on the API's own port (same origin, no CORS), any other path under it answered with
 * the single page's index.html, plus two local-only answers the cloud never gives:
 *
 * - `GET /console/config.json`: sign-in with development principals, and the reminder lead the
 *   countdowns turn yellow at;
 * - `GET /console/dev-principals`: the principals of API_TOKENS and their tokens, which the sign-in
 *   page offers. A local run listens on 127.0.0.1 only and is for development only.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { parsePrincipal } from '../../shared/domain/access.js';

export const CONSOLE_PATH = '/console/';

/** What a token grants, as API_TOKENS writes it. */
type Grant = string | { principal: string; actor?: { name: string; role?: 'chief' | 'officer' } };

export interface DevPrincipal {
  token: string;
  principal: string;
  actor?: { name: string; role?: 'chief' | 'officer' };
}

export interface ConsoleSiteOptions {
  /** The built console (`console/dist`). */
  distDir: string;
  /** API_TOKENS of the local run: the people-facing principals among them are offered at sign-in. */
  apiTokens: Readonly<Record<string, Grant>>;
  /** When a deadline's countdown turns yellow (the deadline policy's reminder lead). */
  reminderLeadMinutes: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The console's content security policy, here and behind CloudFront alike: no script that is not one
 * of the bundle's files; Element Plus sets inline style attributes, hence 'unsafe-inline' for styles
 * only; photos by https URL; `origins` (the cloud's managed login) may be connected and posted to.
 */
export function consoleContentSecurityPolicy(...origins: string[]): string {
  const also = origins.map((origin) => ` ${origin}`).join('');
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'${also}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'${also}`;
}

/** Headers of every console answer of a local run. */
export const CONSOLE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': consoleContentSecurityPolicy(),
} as const;

/** The principals a person may sign in as (sources are machines), brigade first. */
export function devPrincipals(apiTokens: Readonly<Record<string, Grant>>): DevPrincipal[] {
  const order = ['brigade', 'bureau', 'leader', 'partner'];
  return Object.entries(apiTokens)
    .map(([token, grant]): DevPrincipal => {
      if (typeof grant === 'string') return { token, principal: grant };
      return { token, principal: grant.principal, ...(grant.actor ? { actor: grant.actor } : {}) };
    })
    .filter((entry) => {
      const principal = parsePrincipal(entry.principal);
      return principal !== undefined && principal.kind !== 'source';
    })
    .sort((a, b) => order.indexOf(a.principal.split(':')[0]!) - order.indexOf(b.principal.split(':')[0]!));
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
  head = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'content-type': type,
    'content-length': bytes.length,
    ...CONSOLE_HEADERS,
    ...headers,
  });
  res.end(head ? undefined : bytes);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>控制台尚未构建</title>
<p>控制台尚未构建：请运行 <code>npm run console:build</code>，或重新运行 <code>npm start</code>（启动时会自动构建）。</p>`;

/** A file of the bundle under `distDir`, or undefined (never a path outside it). */
async function bundleFile(distDir: string, relative: string): Promise<Buffer | undefined> {
  const path = normalize(join(distDir, relative));
  if (path !== distDir && !path.startsWith(distDir.endsWith(sep) ? distDir : `${distDir}${sep}`))
    return undefined;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return readFile(path);
}

/**
 * The gateway's handler for `/` and `/console…`: true when it answered. Only GET and HEAD; the
 * rest of the paths stay the API's.
 */
export function consoleSite(options: ConsoleSiteOptions) {
  const distDir = normalize(options.distDir);
  const principals = JSON.stringify(devPrincipals(options.apiTokens));
  const config = JSON.stringify({ auth: 'dev', reminderLeadMinutes: options.reminderLeadMinutes });

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path !== '/' && path !== '/console' && !path.startsWith(CONSOLE_PATH)) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const head = method === 'HEAD';
    if (method !== 'GET' && !head) {
      send(res, 405, 'text/plain; charset=utf-8', '不支持此操作', { allow: 'GET, HEAD' });
      return true;
    }
    if (path === '/' || path === '/console') {
      res.writeHead(302, { location: CONSOLE_PATH, 'content-length': 0, ...CONSOLE_HEADERS });
      res.end();
      return true;
    }
    const noStore = { 'cache-control': 'no-store' };
    if (path === `${CONSOLE_PATH}config.json`) {
      send(res, 200, TYPES['.json']!, config, noStore, head);
      return true;
    }
    if (path === `${CONSOLE_PATH}dev-principals`) {
      send(res, 200, TYPES['.json']!, principals, noStore, head);
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(path.slice(CONSOLE_PATH.length));
    } catch {
      relative = '';
    }
    const file = relative && !relative.endsWith('/') ? await bundleFile(distDir, relative) : undefined;
    if (file) {
      // Vite names the assets by content hash: they never change under their name.
      const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      const type = TYPES[extname(relative).toLowerCase()] ?? 'application/octet-stream';
      send(res, 200, type, file, { 'cache-control': cache }, head);
      return true;
    }
    if (extname(relative) !== '' && relative.startsWith('assets/')) {
      send(res, 404, 'text/plain; charset=utf-8', '未找到该文件', noStore, head);
      return true;
    }
    // Any other path is a page of the single-page app: its router reads the path.
    const index = await bundleFile(distDir, 'index.html');
    if (!index) send(res, 503, TYPES['.html']!, NOT_BUILT, noStore, head);
    else send(res, 200, TYPES['.html']!, index, { 'cache-control': 'no-cache' }, head);
    return true;
  };
}
