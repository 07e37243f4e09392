import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalReporterVault } from '../../shared/adapters/local-reporter-vault.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-vault-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const identity = { name: '张三', phone: '13912345678' };

describe('LocalReporterVault', () => {
  it('round-trips an identity in the versioned format, without the plaintext in it', async () => {
    const vault = new LocalReporterVault(join(dir, 'reporter.key'));
    const sealed = await vault.seal('tip_a', identity);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('13912345678');
    await expect(vault.open('tip_a', sealed)).resolves.toEqual(identity);
  });

  it('uses a fresh IV for every seal', async () => {
    const vault = new LocalReporterVault(join(dir, 'reporter.key'));
    expect(await vault.seal('tip_a', identity)).not.toBe(await vault.seal('tip_a', identity));
  });

  it('refuses to open a ciphertext under another tip id', async () => {
    const vault = new LocalReporterVault(join(dir, 'reporter.key'));
    const sealed = await vault.seal('tip_a', identity);
    await expect(vault.open('tip_b', sealed)).rejects.toThrow(/could not be opened/);
  });

  it('refuses a tampered ciphertext and an unknown format', async () => {
    const vault = new LocalReporterVault(join(dir, 'reporter.key'));
    const [version, iv, ciphertext, tag] = (await vault.seal('tip_a', identity)).split('.');
    const flipped = Buffer.from(ciphertext ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(
      vault.open('tip_a', [version, iv, flipped.toString('base64url'), tag].join('.')),
    ).rejects.toThrow();
    await expect(vault.open('tip_a', `v2.${iv}.${ciphertext}.${tag}`)).rejects.toThrow(/unknown format/);
  });

  it('creates the key file with mode 0600 on first use and reuses it afterwards', async () => {
    const keyFile = join(dir, 'nested', 'reporter.key');
    const sealed = await new LocalReporterVault(keyFile).seal('tip_a', identity);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(keyFile, 'utf8');
    // A second instance (a restart) opens what the first sealed, and leaves the key alone.
    await expect(new LocalReporterVault(keyFile).open('tip_a', sealed)).resolves.toEqual(identity);
    expect(await readFile(keyFile, 'utf8')).toBe(key);
  });

  it('cannot open what was sealed under another key file', async () => {
    const sealed = await new LocalReporterVault(join(dir, 'one.key')).seal('tip_a', identity);
    await expect(new LocalReporterVault(join(dir, 'two.key')).open('tip_a', sealed)).rejects.toThrow();
  });

  it('rejects a key file that does not hold a 256-bit key, and retries after a fix', async () => {
    const keyFile = join(dir, 'bad.key');
    await writeFile(keyFile, 'c2hvcnQ=\n');
    const vault = new LocalReporterVault(keyFile);
    await expect(vault.seal('tip_a', identity)).rejects.toThrow(/256-bit/);
    await writeFile(keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`);
    await expect(vault.seal('tip_a', identity)).resolves.toMatch(/^v1\./);
  });
});
