/**
 * ReporterVault by envelope encryption with node:crypto: AES-256-GCM under a data key that KMS (in
 * the cloud) or the local run's raw AES key file wraps. The reasoning, bounds and threat model are
 * in docs/security.md ("Encrypted at the door").
 *
 * A sealed identity is `v3.<wrapped data key>.<96-bit IV>.<ciphertext and 128-bit tag>`, each
 * part base64. The tag authenticates, besides the ciphertext, `["v3", purpose, tipId, wrapped
 * key]`: an identity copied onto another tip, or given another wrapped key, does not open.
 *
 * One data key seals at most MAX_MESSAGES_PER_KEY identities during at most MAX_KEY_AGE_MS, then
 * a new one is generated: the Encryption SDK's per-message data key and framing cost ~0.7 ms of CPU
 * per seal, and in the cloud a KMS call per tip; this costs ~10 µs and a KMS call per key.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { withCause } from '../domain/errors.js';
import type { ReporterIdentity } from '../domain/model.js';
import { traced } from '../observability.js';
import type { ReporterVault } from '../ports/index.js';

export const SEALED_VERSION = 'v3';
export const REPORTER_PURPOSE = 'landline-reporter';
/** The KMS encryption context of every data key (and the AAD of the local key file's wrapping). */
export const DATA_KEY_CONTEXT: Readonly<Record<string, string>> = { purpose: REPORTER_PURPOSE };
/** Bounds on one data key: what one leaked key exposes, far below GCM's 2^32 random-IV limit. */
export const MAX_MESSAGES_PER_KEY = 1000;
export const MAX_KEY_AGE_MS = 5 * 60_000;

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class ReporterVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReporterVaultError';
  }
}

/** KMS unreachable, throttling or refusing: retryable, unlike a ciphertext that does not open. */
export class ReporterKeyUnavailableError extends Error {
  constructor() {
    super('the reporter key service failed');
    this.name = 'ReporterKeyUnavailableError';
  }
}

/** Where the data keys come from: the KMS key (cloud) or the raw AES key file (local run). */
export type ReporterKeyConfig = { keyArn: string } | { keyFile: string };

/** Makes data keys and unwraps them again; the key that wraps them never leaves its holder. */
export interface DataKeySource {
  generate(): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  /** Throws ReporterVaultError for a wrapped key that is not its own, ReporterKeyUnavailableError for an outage. */
  unwrap(wrapped: Buffer): Promise<Buffer>;
}

/** Opens a sealed value of an older format; `body` is what follows its version prefix. */
export type LegacyOpener = (tipId: string, body: string) => Promise<ReporterIdentity>;

export interface VaultOptions {
  /** Opens `v2.` values (the Encryption SDK's); without it they are refused as an unknown format. */
  openV2?: LegacyOpener;
  maxMessagesPerKey?: number;
  maxKeyAgeMs?: number;
  /** Monotonic milliseconds, for the key's age. */
  now?: () => number;
}

interface DataKeyInUse {
  plaintext: Buffer;
  /** base64, as it is written into every value sealed under it. */
  wrapped: string;
  createdAt: number;
  uses: number;
}

const additionalData = (tipId: string, wrapped: string): Buffer =>
  Buffer.from(JSON.stringify([SEALED_VERSION, REPORTER_PURPOSE, tipId, wrapped]), 'utf8');

export class EnvelopeReporterVault implements ReporterVault {
  private dataKey: Promise<DataKeyInUse> | undefined;
  private readonly maxMessages: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly keys: DataKeySource,
    private readonly options: VaultOptions = {},
  ) {
    this.maxMessages = options.maxMessagesPerKey ?? MAX_MESSAGES_PER_KEY;
    this.maxAgeMs = options.maxKeyAgeMs ?? MAX_KEY_AGE_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** The current data key, counted as used once; a new one when it is spent or too old. */
  private async useDataKey(): Promise<DataKeyInUse> {
    for (;;) {
      // Concurrent seals share one pending generation instead of each asking KMS.
      this.dataKey ??= this.keys.generate().then(({ plaintext, wrapped }) => ({
        plaintext,
        wrapped: wrapped.toString('base64'),
        createdAt: this.now(),
        uses: 0,
      }));
      const pending = this.dataKey;
      let key: DataKeyInUse;
      try {
        key = await pending;
      } catch (error) {
        if (this.dataKey === pending) this.dataKey = undefined;
        throw error;
      }
      if (key.uses < this.maxMessages && this.now() - key.createdAt < this.maxAgeMs) {
        key.uses++;
        return key;
      }
      if (this.dataKey === pending) this.dataKey = undefined;
    }
  }

  async seal(tipId: string, identity: ReporterIdentity): Promise<string> {
    const key = await this.useDataKey();
    // A random 96-bit IV per message: with at most MAX_MESSAGES_PER_KEY per key, a repeat is ~2^-77.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(tipId, key.wrapped));
    const body = Buffer.concat([
      cipher.update(JSON.stringify(identity), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${SEALED_VERSION}.${key.wrapped}.${iv.toString('base64')}.${body.toString('base64')}`;
  }

  async open(tipId: string, sealed: string): Promise<ReporterIdentity> {
    if (sealed.startsWith('v2.') && this.options.openV2) return this.options.openV2(tipId, sealed.slice(3));
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== SEALED_VERSION) {
      throw new ReporterVaultError('sealed reporter has an unknown format');
    }
    const [, wrapped = '', ivText = '', bodyText = ''] = parts;
    const iv = Buffer.from(ivText, 'base64');
    const body = Buffer.from(bodyText, 'base64');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
      throw new ReporterVaultError('sealed reporter could not be opened');
    }
    const dataKey = await this.keys.unwrap(Buffer.from(wrapped, 'base64'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(tipId, wrapped));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const plaintext = Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return JSON.parse(plaintext.toString('utf8')) as ReporterIdentity;
    } catch {
      // GCM does not say which input differed: the tip, the ciphertext or the wrapped key.
      throw new ReporterVaultError(
        'sealed reporter does not open under this tip (another tip’s, or tampered)',
      );
    } finally {
      dataKey.fill(0);
    }
  }
}

const KMS_CIPHERTEXT_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * The cloud's data keys: GenerateDataKey to seal, Decrypt (naming the key, so no other key is ever
 * tried) to open, both under DATA_KEY_CONTEXT. The IAM grants in
 * infra/constructs/landline-function.ts are exactly these. The client is made (and traced) on first use.
 */
export function kmsDataKeys(keyArn: string): DataKeySource {
  let client: KMSClient | undefined;
  const kms = () => {
    client ??= traced(new KMSClient({}));
    return client;
  };
  return {
    async generate() {
      const output = await kms().send(
        new GenerateDataKeyCommand({
          KeyId: keyArn,
          KeySpec: 'AES_256',
          EncryptionContext: { ...DATA_KEY_CONTEXT },
        }),
      );
      if (!output.Plaintext || !output.CiphertextBlob)
        throw new ReporterVaultError('KMS returned no data key');
      return { plaintext: Buffer.from(output.Plaintext), wrapped: Buffer.from(output.CiphertextBlob) };
    },
    async unwrap(wrapped) {
      let plaintext: Uint8Array | undefined;
      try {
        ({ Plaintext: plaintext } = await kms().send(
          new DecryptCommand({
            KeyId: keyArn,
            CiphertextBlob: wrapped,
            EncryptionContext: { ...DATA_KEY_CONTEXT },
          }),
        ));
      } catch (error) {
        if (error instanceof Error && KMS_CIPHERTEXT_ERRORS.has(error.name)) {
          throw new ReporterVaultError('sealed reporter could not be opened');
        }
        throw withCause(new ReporterKeyUnavailableError(), error);
      }
      if (plaintext?.length !== KEY_BYTES)
        throw new ReporterVaultError('sealed reporter could not be opened');
      return Buffer.from(plaintext);
    },
  };
}

/**
 * The local run's data keys: random, wrapped with AES-256-GCM under the 256-bit key in `keyFile`
 * (mode 0600, created on first use), DATA_KEY_CONTEXT as AAD. Plays KMS's part, with the same format.
 */
export function localFileDataKeys(keyFile: string): DataKeySource {
  let masterKey: Promise<Buffer> | undefined;
  const master = () => {
    masterKey ??= readOrCreateKey(keyFile).catch((error: unknown) => {
      masterKey = undefined;
      throw error;
    });
    return masterKey;
  };
  const aad = Buffer.from(JSON.stringify(DATA_KEY_CONTEXT), 'utf8');
  return {
    async generate() {
      const key = await master();
      const plaintext = randomBytes(KEY_BYTES);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const wrapped = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return { plaintext, wrapped };
    },
    async unwrap(wrapped) {
      const key = await master();
      if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) {
        throw new ReporterVaultError('sealed reporter could not be opened');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(aad);
        decipher.setAuthTag(wrapped.subarray(IV_BYTES + KEY_BYTES));
        return Buffer.concat([
          decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new ReporterVaultError('sealed reporter could not be opened');
      }
    },
  };
}

function isNodeError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function decodeKey(text: string): Buffer {
  const decoded = Buffer.from(text.trim(), 'base64');
  if (decoded.length !== KEY_BYTES)
    throw new ReporterVaultError('reporter key file does not hold a 256-bit base64 key');
  // The key alone in its memory, not in a slice of Node's shared buffer pool.
  const key = Buffer.alloc(KEY_BYTES);
  decoded.copy(key);
  decoded.fill(0);
  return key;
}

async function readExistingKey(keyFile: string): Promise<Buffer> {
  const { mode } = await stat(keyFile);
  // A key readable by others is tightened rather than refused: the local run must keep working.
  if ((mode & 0o077) !== 0) await chmod(keyFile, 0o600);
  return decodeKey(await readFile(keyFile, 'utf8'));
}

export async function readOrCreateKey(keyFile: string): Promise<Buffer> {
  try {
    return await readExistingKey(keyFile);
  } catch (error) {
    if (!isNodeError(error, 'ENOENT')) throw error;
  }
  const key = randomFillSync(Buffer.alloc(KEY_BYTES));
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    await writeFile(keyFile, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    // Another process created it first: use theirs, or the two would seal under different keys.
    if (!isNodeError(error, 'EEXIST')) throw error;
    return readExistingKey(keyFile);
  }
}
