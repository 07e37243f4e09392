/**
 * ReporterVault by envelope encryption with the AWS Encryption SDK: every identity gets its own
 * data key, wrapped by a KMS key in the cloud or by a raw AES key from a file on a local run.
 *
 * The encryption context `{purpose, tipId}` is authenticated with the ciphertext, so a sealed
 * identity copied onto another tip cannot be opened there. The ESDK returns the context of a
 * message but does not compare it with anything, so `open` checks it itself, key by key and with
 * no extra keys allowed.
 *
 * The suite is the committed, unsigned AES-256-GCM/HKDF-SHA512 one: the ECDSA signature of the
 * default suite costs about four times the CPU of the whole seal, and it would only protect against
 * a holder of kms:Decrypt forging identities, which the API (the only such holder) has no reason to.
 */
import { randomFillSync } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
// The AWS Encryption SDK's own packages, imported one by one rather than through the
// @aws-crypto/client-node umbrella (CommonJS, re-exporting everything, the DynamoDB-backed
// hierarchical keyring included): their ES module builds let the bundle keep only what is used.
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
// Named, static imports: esbuild then drops the package's other keyrings. A dynamic import takes
// the whole namespace, and with it the hierarchical keyring, whose DynamoDB client would load on
// every cold start of functions that never touch DynamoDB for keys.
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import {
  AlgorithmSuiteIdentifier,
  CommitmentPolicy,
  type KeyringNode,
} from '@aws-crypto/material-management-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { withCause } from '../domain/errors.js';
import type { ReporterIdentity } from '../domain/model.js';
import type { ReporterVault } from '../ports/index.js';

/** Prefix of every sealed string this vault writes; a later format gets `v3.`. */
export const SEALED_VERSION = 'v2';
export const REPORTER_PURPOSE = 'landline-reporter';
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
const KEY_BYTES = 32;

export class ReporterVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReporterVaultError';
  }
}

/** What binds a sealed identity to its tip. */
export function reporterEncryptionContext(tipId: string): Record<string, string> {
  return { purpose: REPORTER_PURPOSE, tipId };
}

// One data key per message (no caching materials manager): each seal has its own context, so a
// cache keyed by context would never hit, and sharing data keys across reporters would widen what
// one leaked key exposes. maxEncryptedDataKeys: a sealed value carries exactly one wrapped key.
const clientOptions = {
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  maxEncryptedDataKeys: 1,
};
const esdk = { ...buildEncrypt(clientOptions), ...buildDecrypt(clientOptions) };

export class EnvelopeReporterVault implements ReporterVault {
  private keyring: Promise<KeyringNode> | undefined;

  /** `keyring` is called once, on first use; a failure is retried on the next call. */
  constructor(private readonly loadKeyring: () => Promise<KeyringNode>) {}

  private getKeyring(): Promise<KeyringNode> {
    this.keyring ??= this.loadKeyring().catch((error: unknown) => {
      this.keyring = undefined;
      throw error;
    });
    return this.keyring;
  }

  async seal(tipId: string, identity: ReporterIdentity): Promise<string> {
    const keyring = await this.getKeyring();
    const plaintext = Buffer.from(JSON.stringify(identity), 'utf8');
    const { result } = await esdk.encrypt(keyring, plaintext, {
      encryptionContext: reporterEncryptionContext(tipId),
      suiteId: SUITE,
      // A known length lets the SDK write one final frame instead of streaming: about a third less CPU.
      plaintextLength: plaintext.byteLength,
    });
    return `${SEALED_VERSION}.${result.toString('base64')}`;
  }

  async open(tipId: string, sealed: string): Promise<ReporterIdentity> {
    const prefix = `${SEALED_VERSION}.`;
    if (!sealed.startsWith(prefix)) throw new ReporterVaultError('sealed reporter has an unknown format');
    const keyring = await this.getKeyring();
    let plaintext: Buffer;
    let context: Readonly<Record<string, string>>;
    let suiteId: number;
    try {
      const output = await esdk.decrypt(keyring, Buffer.from(sealed.slice(prefix.length), 'base64'));
      plaintext = output.plaintext;
      context = output.messageHeader.encryptionContext;
      suiteId = output.messageHeader.suiteId;
    } catch (error) {
      if (isServiceFailure(error)) {
        throw withCause(new ReporterKeyUnavailableError(), error);
      }
      throw new ReporterVaultError('sealed reporter could not be opened');
    }
    if (suiteId !== SUITE || !sameContext(context, reporterEncryptionContext(tipId))) {
      throw new ReporterVaultError('sealed reporter belongs to another tip');
    }
    return JSON.parse(plaintext.toString('utf8')) as ReporterIdentity;
  }
}

/** KMS unreachable, throttling or refusing: retryable, unlike a ciphertext that does not open. */
export class ReporterKeyUnavailableError extends Error {
  constructor() {
    super('the reporter key service failed');
    this.name = 'ReporterKeyUnavailableError';
  }
}

function isServiceFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('$metadata' in error) return true;
  // The KMS keyring folds each KMS error into one message; a bad ciphertext names its own exception.
  const message = String((error as { message?: unknown }).message ?? '');
  return message.includes('KMS CMKs had an error') && !message.includes('InvalidCiphertextException');
}

function sameContext(actual: Readonly<Record<string, string>>, expected: Record<string, string>): boolean {
  const actualKeys = Object.keys(actual);
  if (actualKeys.length !== Object.keys(expected).length) return false;
  return actualKeys.every((key) => Object.hasOwn(expected, key) && expected[key] === actual[key]);
}

/**
 * The cloud keyring: GenerateDataKey on seal, Decrypt (with the key id named, so no other key is
 * ever tried) on open. The IAM grants in infra/constructs/landline-function.ts are exactly these.
 */
export function kmsKeyring(keyArn: string): () => Promise<KeyringNode> {
  return async () => new KmsKeyringNode({ generatorKeyId: keyArn });
}

/** The local keyring: a 256-bit AES key kept in `keyFile` (mode 0600), created on first use. */
export function localAesKeyring(keyFile: string): () => Promise<KeyringNode> {
  return async () => {
    return new RawAesKeyringNode({
      keyNamespace: 'landline',
      keyName: 'reporter-key-file',
      unencryptedMasterKey: await readOrCreateKey(keyFile),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
  };
}

function isNodeError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function decodeKey(text: string): Buffer {
  const decoded = Buffer.from(text.trim(), 'base64');
  if (decoded.length !== KEY_BYTES)
    throw new ReporterVaultError('reporter key file does not hold a 256-bit base64 key');
  // The ESDK wants the key alone in its memory, not in a slice of Node's shared buffer pool.
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
