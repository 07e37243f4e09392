/**
 * The local run's console: its files with their content types and caching, the single-page
 * fallback, nothing outside the bundle, the local-only sign-in endpoints, and when `npm start`
 * rebuilds the bundle.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleBuildNeeded } from '../../infra/local/console-build.js';
import { consoleSite, devPrincipals } from '../../infra/local/console-site.js';
import { DEV_API_TOKENS } from '../../infra/local/dev-defaults.js';

let dir: string;
let server: Server;
let base: string;
let missingBase: string;
let missingServer: Server;

async function serve(distDir: string): Promise<[Server, string]> {
  const site = consoleSite({
    distDir,
    apiTokens: {
      ...DEV_API_TOKENS,
      'named-token-01': { principal: 'bureau:meili', actor: { name: '王五' } },
    },
    reminderLeadMinutes: 90,
  });
  const created = createServer((req, res) => {
    void Promise.resolve(site(req, res, (req.url ?? '/').split('?')[0]!)).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end('api');
      }
    });
  });
  await new Promise<void>((done) => created.listen(0, '127.0.0.1', done));
  return [created, `http://127.0.0.1:${(created.address() as AddressInfo).port}`];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-console-site-'));
  const dist = join(dir, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>控制台</title>');
  await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'not for the browser');
  [server, base] = await serve(dist);
  [missingServer, missingBase] = await serve(join(dir, 'nowhere'));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await new Promise((done) => missingServer?.close(done));
  await rm(dir, { recursive: true, force: true });
});

describe('the console on a local run', () => {
  it('serves the bundle with content types, caching and the security headers', async () => {
    const index = await fetch(`${base}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers every page of the app with index.html, and a missing asset with 404', async () => {
    for (const path of ['/console/cases/case_x', '/console/signin', '/console/ledger?year=2026']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>控制台</title>');
    }
    expect((await fetch(`${base}/console/assets/gone-123.js`)).status).toBe(404);
  });

  it('never serves a file outside the bundle', async () => {
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt']) {
      const answer = await fetch(`${base}${path}`);
      expect(await answer.text()).not.toContain('not for the browser');
    }
  });

  it('sends / and /console to the console, leaves the API alone and refuses writes', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    expect((await fetch(`${base}/console`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/console/',
    );
    expect((await fetch(`${base}/v1/cases`)).status).toBe(418);
    expect((await fetch(`${base}/consoles`)).status).toBe(418);
    expect((await fetch(`${base}/console/cases`, { method: 'POST' })).status).toBe(405);
  });

  it('offers the people’s development principals and its configuration, never stored', async () => {
    const config = await fetch(`${base}/console/config.json`);
    expect(config.headers.get('cache-control')).toBe('no-store');
    expect(await config.json()).toEqual({ auth: 'dev', reminderLeadMinutes: 90 });
    const offered = (await (await fetch(`${base}/console/dev-principals`)).json()) as Array<{
      principal: string;
    }>;
    expect(offered[0]).toEqual({ token: 'dev-brigade', principal: 'brigade' });
    expect(offered).toContainEqual({
      token: 'named-token-01',
      principal: 'bureau:meili',
      actor: { name: '王五' },
    });
    expect(offered.some((entry) => entry.principal.startsWith('source:'))).toBe(false);
  });

  it('says in Chinese how to build a console that is not built yet', async () => {
    const answer = await fetch(`${missingBase}/console/`);
    expect(answer.status).toBe(503);
    expect(await answer.text()).toContain('npm run console:build');
  });

  it('lists bureaus after the brigade and partners last', () => {
    const kinds = devPrincipals(DEV_API_TOKENS).map((entry) => entry.principal.split(':')[0]);
    expect(kinds[0]).toBe('brigade');
    expect(kinds.lastIndexOf('bureau')).toBeLessThan(kinds.indexOf('partner'));
  });
});

describe('the console build on npm start', () => {
  it('is needed when the bundle is missing or older than a source, not otherwise', async () => {
    const dist = join(dir, 'built');
    expect(await consoleBuildNeeded(dist)).toBe(true);
    await mkdir(dist, { recursive: true });
    await writeFile(join(dist, 'index.html'), '');
    // Fixed instants, not Date.now(): the awkward-instant sweep pins the clock, the files' times stay real.
    const future = new Date('2100-01-01T00:00:00Z');
    await utimes(join(dist, 'index.html'), future, future);
    expect(await consoleBuildNeeded(dist)).toBe(false);
    const past = new Date('2000-01-01T00:00:00Z');
    await utimes(join(dist, 'index.html'), past, past);
    expect(await consoleBuildNeeded(dist)).toBe(true);
  });
});
