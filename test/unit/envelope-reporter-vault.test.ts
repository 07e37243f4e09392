import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EnvelopeReporterVault,
  kmsKeyring,
  localAesKeyring,
  REPORTER_PURPOSE,
  ReporterKeyUnavailableError,
} from '../../shared/adapters/envelope-reporter-vault.js';
import { createReporterVault } from '../../shared/adapters/reporter-vault.js';

const identity = { name: '金丝雀测试人', phone: '13700000042' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-vault-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EnvelopeReporterVault with the local key file', () => {
  it('seals into the versioned v2 format without a plaintext byte, and opens it for the same tip', async () => {
    const vault = new EnvelopeReporterVault(localAesKeyring(join(dir, 'reporter.key')));
    const sealed = await vault.seal('tip_a', identity);
    expect(sealed).toMatch(/^v2\.[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    expect(bytes.includes(Buffer.from(identity.name))).toBe(false);
    expect(bytes.includes(Buffer.from(identity.phone))).toBe(false);
    await expect(vault.open('tip_a', sealed)).resolves.toEqual(identity);
  });

  it('refuses to open an identity under another tip (the encryption context is checked)', async () => {
    const vault = new EnvelopeReporterVault(localAesKeyring(join(dir, 'reporter.key')));
    const sealed = await vault.seal('tip_a', identity);
    await expect(vault.open('tip_b', sealed)).rejects.toThrow(/another tip/);
  });

  it('refuses a tampered message, another key, and the retired v1 format', async () => {
    const vault = new EnvelopeReporterVault(localAesKeyring(join(dir, 'reporter.key')));
    const sealed = await vault.seal('tip_a', identity);
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 1;
    await expect(vault.open('tip_a', `v2.${bytes.toString('base64')}`)).rejects.toThrow();
    const other = new EnvelopeReporterVault(localAesKeyring(join(dir, 'other.key')));
    await expect(other.open('tip_a', sealed)).rejects.toThrow();
    await expect(vault.open('tip_a', 'v1.aaaa.bbbb.cccc')).rejects.toThrow(/unknown format/);
  });

  it('creates the key file once with mode 0600, reuses it across instances, and tightens a loose one', async () => {
    const keyFile = join(dir, 'nested', 'reporter.key');
    const sealed = await new EnvelopeReporterVault(localAesKeyring(keyFile)).seal('tip_a', identity);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(keyFile, 'utf8');
    await chmod(keyFile, 0o644);
    await expect(new EnvelopeReporterVault(localAesKeyring(keyFile)).open('tip_a', sealed)).resolves.toEqual(
      identity,
    );
    expect(await readFile(keyFile, 'utf8')).toBe(key);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that does not hold a 256-bit key', async () => {
    const keyFile = join(dir, 'reporter.key');
    await writeFile(keyFile, Buffer.from('short').toString('base64'), { mode: 0o600 });
    await expect(new EnvelopeReporterVault(localAesKeyring(keyFile)).seal('tip_a', identity)).rejects.toThrow(
      /256-bit/,
    );
  });

  it('costs about a millisecond of CPU per seal, not the signed suite’s several', async () => {
    const vault = new EnvelopeReporterVault(localAesKeyring(join(dir, 'reporter.key')));
    for (let i = 0; i < 50; i++) await vault.seal('tip_warm', identity);
    const started = process.cpuUsage();
    for (let i = 0; i < 200; i++) await vault.seal(`tip_${i}`, identity);
    const used = process.cpuUsage(started);
    // Generous for slow CI machines; the signed default suite needs ~4× this.
    expect((used.user + used.system) / 1000 / 200).toBeLessThan(4);
  });
});

describe('EnvelopeReporterVault with KMS', () => {
  const keyArn = 'arn:aws:kms:cn-north-1:123456789012:key/11111111-2222-3333-4444-555555555555';
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());

  it('calls only GenerateDataKey to seal and only Decrypt (naming the key) to open, with the tip context', async () => {
    const dataKey = randomBytes(32);
    const wrapped = randomBytes(64);
    kms.on(GenerateDataKeyCommand).resolves({
      KeyId: keyArn,
      Plaintext: new Uint8Array(dataKey),
      CiphertextBlob: new Uint8Array(wrapped),
    });
    kms.on(DecryptCommand).callsFake(async () => ({ KeyId: keyArn, Plaintext: new Uint8Array(dataKey) }));
    const vault = new EnvelopeReporterVault(kmsKeyring(keyArn));
    const sealed = await vault.seal('tip_a', identity);
    await expect(vault.open('tip_a', sealed)).resolves.toEqual(identity);

    const names = kms.calls().map((call) => call.args[0].constructor.name);
    expect(names).toEqual(['GenerateDataKeyCommand', 'DecryptCommand']);
    const generate = kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input;
    expect(generate).toMatchObject({
      KeyId: keyArn,
      EncryptionContext: { purpose: REPORTER_PURPOSE, tipId: 'tip_a' },
    });
    const decrypt = kms.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(decrypt).toMatchObject({
      KeyId: keyArn,
      EncryptionContext: { purpose: REPORTER_PURPOSE, tipId: 'tip_a' },
    });
  });

  it('lets a KMS outage through as a service error (the API answers 503), not a broken ciphertext', async () => {
    const outage = Object.assign(new Error('KMS unavailable'), { $metadata: { httpStatusCode: 503 } });
    const dataKey = randomBytes(32);
    kms.on(GenerateDataKeyCommand).resolves({
      KeyId: keyArn,
      Plaintext: new Uint8Array(dataKey),
      CiphertextBlob: new Uint8Array(randomBytes(64)),
    });
    kms.on(DecryptCommand).rejects(outage);
    const vault = new EnvelopeReporterVault(kmsKeyring(keyArn));
    const sealed = await vault.seal('tip_a', identity);
    await expect(vault.open('tip_a', sealed)).rejects.toThrow(ReporterKeyUnavailableError);
  });
});

describe('createReporterVault', () => {
  it('needs a KMS key ARN or a key file', () => {
    expect(() => createReporterVault({})).toThrow(/REPORTER_KEY_ARN/);
  });

  it('uses the key file when no KMS key is configured', async () => {
    const keyFile = join(dir, 'reporter.key');
    const vault = createReporterVault({ REPORTER_KEY_FILE: keyFile });
    await vault.seal('tip_a', identity);
    expect((await stat(keyFile)).isFile()).toBe(true);
  });
});
