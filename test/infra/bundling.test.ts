import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ESM_REQUIRE_BANNER,
  LANDLINE_BUNDLING,
  LandlineFunction,
  PROJECT_ROOT,
  ZOD_BUNDLE_SHIM,
} from '../../infra/constructs/landline-function.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));
const outdir = mkdtempSync(path.join(tmpdir(), 'landline-cdk-'));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('LandlineFunction bundling (esbuild, no Docker)', () => {
  it('produces a minified ES module with source map that runs, CommonJS dependencies included', async () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled');
    new LandlineFunction(stack, 'Fn', { name: 'fixture', entry: FIXTURE });
    const template = Template.fromStack(stack);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(1);
    const assetHash = (functions[0]!.Properties.Code.S3Key as string).replace(/\.zip$/, '');
    const bundle = path.join(outdir, `asset.${assetHash}`, 'index.mjs');

    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const code = readFileSync(bundle, 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    // Minified: long lines (zod's template literals keep a few line breaks of their own).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);

    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: () => Promise<{ nationalDayIsWorkday: boolean }>;
    };
    // 2026-10-01 is National Day: the bundled calendar data must say it is not a working day.
    await expect(handler()).resolves.toEqual({ nationalDayIsWorkday: false });
  });
});

describe('bundle:check uses the construct options', () => {
  it('keeps @aws-sdk/* out of the bundle and the ES module still imports lib-dynamodb', async () => {
    const { build } = await import('esbuild');
    const { esbuildOptionsFor } = await import('../../infra/ops/bundle-size.js');
    // Inside the project, so the external import resolves as the runtime's copy does in Lambda.
    const dir = mkdtempSync(path.join(PROJECT_ROOT, 'node_modules', '.landline-bundle-test-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      writeFileSync(
        entry,
        "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const kind = typeof DynamoDBDocumentClient.from;\n",
      );
      const outfile = path.join(dir, 'index.mjs');
      await build(esbuildOptionsFor(entry, outfile));
      const code = readFileSync(outfile, 'utf8');
      expect(code).toMatch(/from\s*"@aws-sdk\/lib-dynamodb"/);
      expect(code.length).toBeLessThan(2_000);
      const { kind } = (await import(pathToFileURL(outfile).href)) as { kind: string };
      expect(kind).toBe('function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes the same options to the construct and to bundle:check', async () => {
    const { esbuildOptionsFor } = await import('../../infra/ops/bundle-size.js');
    const options = esbuildOptionsFor('in.ts', 'out.mjs');
    expect(options).toMatchObject({
      format: 'esm',
      minify: true,
      sourcemap: true,
      target: LANDLINE_BUNDLING.target,
      external: LANDLINE_BUNDLING.externalModules,
      banner: { js: ESM_REQUIRE_BANNER },
      alias: { zod: ZOD_BUNDLE_SHIM },
    });
  });
});
