import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, LandlineFunction } from '../../infra/constructs/landline-function.js';

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
    expect(code.split('\n').length).toBeLessThan(10);

    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: () => Promise<{ nationalDayIsWorkday: boolean }>;
    };
    // 2026-10-01 is National Day: the bundled calendar data must say it is not a working day.
    await expect(handler()).resolves.toEqual({ nationalDayIsWorkday: false });
  });
});
