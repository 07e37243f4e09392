/**
 * ReporterVault for a local run: AES-256-GCM with a key kept in a file. The tip id is the
 * additional authenticated data, so a sealed identity copied onto another tip cannot be opened.
 * To be replaced in the cloud by an envelope-encryption vault behind the same port.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReporterIdentity } from '../domain/model.js';
import type { ReporterVault } from '../ports/index.js';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class ReporterVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReporterVaultError';
  }
}

function isNodeError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function associatedData(tipId: string): Buffer {
  return Buffer.from(`landline:reporter:${VERSION}:${tipId}`, 'utf8');
}

export class LocalReporterVault implements ReporterVault {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly keyFile: string) {}

  private loadKey(): Promise<Buffer> {
    this.key ??= this.readOrCreateKey().catch((error: unknown) => {
      // A failed load must not be cached: the next call retries.
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async readOrCreateKey(): Promise<Buffer> {
    try {
      return this.decodeKey(await readFile(this.keyFile, 'utf8'));
    } catch (error) {
      if (!isNodeError(error, 'ENOENT')) throw error;
    }
    const key = randomBytes(KEY_BYTES);
    await mkdir(dirname(this.keyFile), { recursive: true, mode: 0o700 });
    try {
      await writeFile(this.keyFile, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
      return key;
    } catch (error) {
      // Another process created it first: use theirs, or the two would seal under different keys.
      if (!isNodeError(error, 'EEXIST')) throw error;
      return this.decodeKey(await readFile(this.keyFile, 'utf8'));
    }
  }

  private decodeKey(text: string): Buffer {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== KEY_BYTES)
      throw new ReporterVaultError('reporter key file does not hold a 256-bit base64 key');
    return key;
  }

  async seal(tipId: string, identity: ReporterIdentity): Promise<string> {
    const key = await this.loadKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(tipId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  async open(tipId: string, sealed: string): Promise<ReporterIdentity> {
    const key = await this.loadKey();
    const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (
      version !== VERSION ||
      iv === undefined ||
      ciphertext === undefined ||
      tag === undefined ||
      rest.length > 0
    ) {
      throw new ReporterVaultError('sealed reporter has an unknown format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(associatedData(tipId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]);
      return JSON.parse(plaintext.toString('utf8')) as ReporterIdentity;
    } catch {
      throw new ReporterVaultError('sealed reporter could not be opened for this tip');
    }
  }
}
