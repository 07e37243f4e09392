/**
 * Opens reporter identities sealed in the retired `v2.` format: one AWS Encryption SDK message per
 * identity (committed, unsigned AES-256-GCM/HKDF-SHA512 suite) with the encryption context
 * `{purpose, tipId}`. Nothing seals in this format any more; the case API keeps opening what was
 * sealed before `v3.`, and loads this module (and with it the SDK) only when it meets such a value.
 *
 * The ESDK returns the context of a message but does not compare it with anything, so `openV2`
 * checks it itself, key by key and with no extra keys allowed.
 */
// The AWS Encryption SDK's own packages, imported one by one rather than through the
// @aws-crypto/client-node umbrella (CommonJS, re-exporting everything, the DynamoDB-backed
// hierarchical keyring included): their ES module builds let the bundle keep only what is used.
import { buildDecrypt } from '@aws-crypto/decrypt-node';
// Named, static imports: esbuild then drops the package's other keyrings (the hierarchical one
// would bring its DynamoDB client).
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import {
  AlgorithmSuiteIdentifier,
  CommitmentPolicy,
  type KeyringNode,
} from '@aws-crypto/material-management-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { withCause } from '../domain/errors.js';
import type { ReporterIdentity } from '../domain/model.js';
import {
  REPORTER_PURPOSE,
  type ReporterKeyConfig,
  ReporterKeyUnavailableError,
  ReporterVaultError,
  readOrCreateKey,
} from './envelope-reporter-vault.js';

const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

// maxEncryptedDataKeys: a v2 value carries exactly one wrapped key.
const { decrypt } = buildDecrypt({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  maxEncryptedDataKeys: 1,
});

const keyrings = new Map<string, Promise<KeyringNode>>();

/** The keyring v2 values were sealed with: KMS in the cloud, the raw AES key file on a local run. */
function keyringFor(key: ReporterKeyConfig): Promise<KeyringNode> {
  const id = 'keyArn' in key ? `kms:${key.keyArn}` : `file:${key.keyFile}`;
  let keyring = keyrings.get(id);
  if (!keyring) {
    keyring = (async (): Promise<KeyringNode> =>
      'keyArn' in key
        ? new KmsKeyringNode({ generatorKeyId: key.keyArn })
        : new RawAesKeyringNode({
            keyNamespace: 'landline',
            keyName: 'reporter-key-file',
            unencryptedMasterKey: await readOrCreateKey(key.keyFile),
            wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
          }))();
    // A failure (an unreadable key file) is retried on the next value rather than kept.
    keyring.catch(() => keyrings.delete(id));
    keyrings.set(id, keyring);
  }
  return keyring;
}

/** `body` is what follows `v2.`: the base64 ESDK message. */
export async function openV2(key: ReporterKeyConfig, tipId: string, body: string): Promise<ReporterIdentity> {
  const keyring = await keyringFor(key);
  let plaintext: Buffer;
  let context: Readonly<Record<string, string>>;
  let suiteId: number;
  try {
    const output = await decrypt(keyring, Buffer.from(body, 'base64'));
    plaintext = output.plaintext;
    context = output.messageHeader.encryptionContext;
    suiteId = output.messageHeader.suiteId;
  } catch (error) {
    if (isServiceFailure(error)) throw withCause(new ReporterKeyUnavailableError(), error);
    throw new ReporterVaultError('sealed reporter could not be opened');
  }
  if (suiteId !== SUITE || !sameContext(context, { purpose: REPORTER_PURPOSE, tipId })) {
    throw new ReporterVaultError('sealed reporter belongs to another tip');
  }
  return JSON.parse(plaintext.toString('utf8')) as ReporterIdentity;
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
