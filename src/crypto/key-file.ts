import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { KEY_BYTES } from './aes-gcm';

export class KeyFileError extends Error {}

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new KeyFileError(`Encryption key in ${source} is not base64 text`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyFileError(
      `Encryption key in ${source} must be ${KEY_BYTES} bytes (base64), found ${key.length} bytes`,
    );
  }
  return key;
}

/** Reads the key file; null when it does not exist (before the wizard has run). */
export async function readKeyFile(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeyFileError(`Cannot read encryption key file ${file}: ${(error as Error).message}`);
  }
  return parseKey(text, file);
}

/**
 * Writes the key so that a crash leaves either no file or the whole file: temp file with mode 0600,
 * fsync, rename, fsync of the directory. Refuses to overwrite an existing key (that would orphan every
 * secret sealed with it).
 */
export async function writeKeyFileAtomically(file: string, key: Buffer): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const exists = await fs.access(file, fsConstants.F_OK).then(
    () => true,
    () => false,
  );
  if (exists) throw new KeyFileError(`Refusing to overwrite the existing encryption key file ${file}`);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(key.toString('base64') + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  const dirHandle = await fs.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
