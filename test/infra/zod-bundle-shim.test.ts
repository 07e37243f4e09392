import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/landline-function.js';
import { z as bundledZ } from '../../infra/constructs/zod-bundle-shim.js';

/** `z.<member>` names that only ever appear in type positions, which the bundle never needs. */
const TYPE_ONLY = new Set(['infer', 'core', 'ZodOptional', 'ZodType', 'ZodObject', 'ZodRawShape']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the zod seen by Lambda bundles', () => {
  it('has every member that bundled code (functions/, shared/) uses', () => {
    const used = new Set<string>();
    for (const dir of ['functions', 'shared']) {
      for (const file of sourceFiles(path.join(PROJECT_ROOT, dir))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/\bz\.([A-Za-z_$][\w$]*)/g))
          used.add(match[1]!);
      }
    }
    const missing = [...used].filter((name) => !TYPE_ONLY.has(name) && !(name in bundledZ));
    expect(missing).toEqual([]);
  });

  it('uses z.core only for types ($-prefixed names)', () => {
    for (const dir of ['functions', 'shared']) {
      for (const file of sourceFiles(path.join(PROJECT_ROOT, dir))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/\bz\.core\.([\w$]+)/g)) {
          expect(match[1], path.relative(PROJECT_ROOT, file)).toMatch(/^\$/);
        }
      }
    }
  });

  it('hands out zod itself for each member', async () => {
    const { z } = await import('zod');
    for (const [name, value] of Object.entries(bundledZ)) {
      expect(value, name).toBe((z as unknown as Record<string, unknown>)[name]);
    }
    expect(bundledZ.object({ a: bundledZ.string() }).parse({ a: 'x' })).toEqual({ a: 'x' });
  });
});
