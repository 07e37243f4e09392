import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import { AlgorithmSuiteIdentifier, CommitmentPolicy } from '@aws-crypto/material-management-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DATA_KEY_CONTEXT,
  EnvelopeReporterVault,
  kmsDataKeys,
  localFileDataKeys,
  MAX_MESSAGES_PER_KEY,
  REPORTER_PURPOSE,
  ReporterKeyUnavailableError,
  readOrCreateKey,
} from '../../shared/adapters/envelope-reporter-vault.js';
import { createReporterVault, encryptionSdkV2 } from '../../shared/adapters/reporter-vault.js';

const identity = { name: '金丝雀测试人', phone: '13700000042' };

/** A value as the retired v2 vault sealed it: one ESDK message with the `{purpose, tipId}` context. */
async function sealV2(keyFile: string, tipId: string): Promise<string> {
  const { encrypt } = buildEncrypt({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    maxEncryptedDataKeys: 1,
  });
  const keyring = new RawAesKeyringNode({
    keyNamespace: 'landline',
    keyName: 'reporter-key-file',
    unencryptedMasterKey: await readOrCreateKey(keyFile),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { result } = await encrypt(keyring, Buffer.from(JSON.stringify(identity)), {
    encryptionContext: { purpose: REPORTER_PURPOSE, tipId },
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
  });
  return `v2.${result.toString('base64')}`;
}
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-vault-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EnvelopeReporterVault with the local key file', () => {
  it('seals into the versioned v3 format without a plaintext byte, and opens it for the same tip', async () => {
    const vault = new EnvelopeReporterVault(localFileDataKeys(join(dir, 'reporter.key')));
    const sealed = await vault.seal('tip_a', identity);
    expect(sealed).toMatch(/^v3\.[A-Za-z0-9+/]+=*\.[A-Za-z0-9+/]{16}\.[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    expect(bytes.includes(Buffer.from(identity.name))).toBe(false);
    expect(bytes.includes(Buffer.from(identity.phone))).toBe(false);
    await expect(vault.open('tip_a', sealed)).resolves.toEqual(identity);
  });

  it('refuses to open an identity under another tip (the tip id is authenticated data)', async () => {
    const vault = new EnvelopeReporterVault(localFileDataKeys(join(dir, 'reporter.key')));
    const sealed = await vault.seal('tip_a', identity);
    await expect(vault.open('tip_b', sealed)).rejects.toThrow(/another tip/);
  });

  it('refuses a tampered ciphertext, IV or wrapped key, another key file, and unknown formats', async () => {
    const vault = new EnvelopeReporterVault(localFileDataKeys(join(dir, 'reporter.key')));
    const sealed = await vault.seal('tip_a', identity);
    const flip = (part: number) => {
      const parts = sealed.split('.');
      const bytes = Buffer.from(parts[part]!, 'base64');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      parts[part] = bytes.toString('base64');
      return parts.join('.');
    };
    for (const part of [1, 2, 3]) await expect(vault.open('tip_a', flip(part))).rejects.toThrow();
    const other = new EnvelopeReporterVault(localFileDataKeys(join(dir, 'other.key')));
    await expect(other.open('tip_a', sealed)).rejects.toThrow();
    await expect(vault.open('tip_a', 'v1.aaaa.bbbb.cccc')).rejects.toThrow(/unknown format/);
    await expect(vault.open('tip_a', 'v2.aaaa')).rejects.toThrow(/unknown format/);
  });

  it('reuses a data key for at most MAX_MESSAGES_PER_KEY seals and for a bounded time', async () => {
    const keys = localFileDataKeys(join(dir, 'reporter.key'));
    let generated = 0;
    let now = 0;
    const counting = {
      generate: () => {
        generated++;
        return keys.generate();
      },
      unwrap: keys.unwrap,
    };
    const vault = new EnvelopeReporterVault(counting, { maxKeyAgeMs: 1000, now: () => now });
    const wrappedKeyOf = (sealed: string) => sealed.split('.')[1];
    const sealed = await Promise.all(
      Array.from({ length: MAX_MESSAGES_PER_KEY + 1 }, (_, i) => vault.seal(`tip_${i}`, identity)),
    );
    expect(generated).toBe(2);
    expect(new Set(sealed.slice(0, MAX_MESSAGES_PER_KEY).map(wrappedKeyOf)).size).toBe(1);
    // Random IVs never repeat under one key in practice (2^-77 for a thousand messages).
    expect(new Set(sealed.map((value) => value.split('.')[2])).size).toBe(sealed.length);
    now = 1000;
    const later = await vault.seal('tip_later', identity);
    expect(generated).toBe(3);
    expect(wrappedKeyOf(later)).not.toBe(wrappedKeyOf(sealed.at(-1)!));
    await expect(vault.open('tip_0', sealed[0]!)).resolves.toEqual(identity);
    await expect(vault.open('tip_later', later)).resolves.toEqual(identity);
  });

  it('still opens v2 values (the Encryption SDK format sealed before v3) with the same key file', async () => {
    const keyFile = join(dir, 'reporter.key');
    const sealedV2 = await sealV2(keyFile, 'tip_a');
    const vault = createReporterVault({ REPORTER_KEY_FILE: keyFile }, { v2: encryptionSdkV2 });
    await expect(vault.open('tip_a', sealedV2)).resolves.toEqual(identity);
    await expect(vault.open('tip_b', sealedV2)).rejects.toThrow(/another tip/);
    const tampered = Buffer.from(sealedV2.slice(3), 'base64');
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 1;
    await expect(vault.open('tip_a', `v2.${tampered.toString('base64')}`)).rejects.toThrow();
    // Intake's vault seals only; it has no reason to read the old format.
    await expect(createReporterVault({ REPORTER_KEY_FILE: keyFile }).open('tip_a', sealedV2)).rejects.toThrow(
      /unknown format/,
    );
  });

  it('creates the key file once with mode 0600, reuses it across instances, and tightens a loose one', async () => {
    const keyFile = join(dir, 'nested', 'reporter.key');
    const sealed = await new EnvelopeReporterVault(localFileDataKeys(keyFile)).seal('tip_a', identity);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(keyFile, 'utf8');
    await chmod(keyFile, 0o644);
    await expect(
      new EnvelopeReporterVault(localFileDataKeys(keyFile)).open('tip_a', sealed),
    ).resolves.toEqual(identity);
    expect(await readFile(keyFile, 'utf8')).toBe(key);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that does not hold a 256-bit key', async () => {
    const keyFile = join(dir, 'reporter.key');
    await writeFile(keyFile, Buffer.from('short').toString('base64'), { mode: 0o600 });
    await expect(
      new EnvelopeReporterVault(localFileDataKeys(keyFile)).seal('tip_a', identity),
    ).rejects.toThrow(/256-bit/);
  });

  it('costs tens of microseconds of CPU per seal, not the Encryption SDK’s ~0.7 ms', async () => {
    const vault = new EnvelopeReporterVault(localFileDataKeys(join(dir, 'reporter.key')));
    for (let i = 0; i < 50; i++) await vault.seal('tip_warm', identity);
    const started = process.cpuUsage();
    for (let i = 0; i < 200; i++) await vault.seal(`tip_${i}`, identity);
    const used = process.cpuUsage(started);
    // Generous for slow CI machines: ~10 µs here, the Encryption SDK needed ~700.
    expect((used.user + used.system) / 200).toBeLessThan(200);
  });
});

describe('EnvelopeReporterVault with KMS', () => {
  const keyArn = 'arn:aws:kms:cn-north-1:123456789012:key/11111111-2222-3333-4444-555555555555';
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());

  it('calls only GenerateDataKey (once for many seals) and Decrypt (naming the key) to open, under the purpose context', async () => {
    const dataKey = randomBytes(32);
    const wrapped = randomBytes(64);
    kms.on(GenerateDataKeyCommand).resolves({
      KeyId: keyArn,
      Plaintext: new Uint8Array(dataKey),
      CiphertextBlob: new Uint8Array(wrapped),
    });
    kms.on(DecryptCommand).callsFake(async (input: { CiphertextBlob: Uint8Array }) => {
      if (!Buffer.from(input.CiphertextBlob).equals(wrapped)) {
        throw Object.assign(new Error('bad'), { name: 'InvalidCiphertextException', $metadata: {} });
      }
      return { KeyId: keyArn, Plaintext: new Uint8Array(dataKey) };
    });
    const vault = new EnvelopeReporterVault(kmsDataKeys(keyArn));
    const sealed = await vault.seal('tip_a', identity);
    await vault.seal('tip_b', identity);
    await expect(vault.open('tip_a', sealed)).resolves.toEqual(identity);

    const names = kms.calls().map((call) => call.args[0].constructor.name);
    expect(names).toEqual(['GenerateDataKeyCommand', 'DecryptCommand']);
    const generate = kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input;
    expect(generate).toEqual({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: DATA_KEY_CONTEXT });
    const decrypt = kms.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(decrypt).toMatchObject({ KeyId: keyArn, EncryptionContext: DATA_KEY_CONTEXT });
    // The tip is bound by the AEAD tag, not by KMS: another tip does not open, nor another wrapped key.
    await expect(vault.open('tip_b', sealed)).rejects.toThrow(/another tip/);
    const parts = sealed.split('.');
    parts[1] = randomBytes(64).toString('base64');
    await expect(vault.open('tip_a', parts.join('.'))).rejects.toThrow(/could not be opened/);
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
    const vault = new EnvelopeReporterVault(kmsDataKeys(keyArn));
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
