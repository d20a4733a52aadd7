import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKey, KeyFileError, readKeyFile, writeKeyFileAtomically } from './key-file';

describe('encryption key file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-key-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('is null when absent', async () => {
    await expect(readKeyFile(path.join(dir, 'missing.key'))).resolves.toBeNull();
  });

  it('writes atomically with mode 0600, reads back, and refuses to overwrite', async () => {
    const file = path.join(dir, 'nested', 'encryption.key');
    const key = generateKey();
    await writeKeyFileAtomically(file, key);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await readKeyFile(file))?.equals(key)).toBe(true);
    expect((await fs.readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await expect(writeKeyFileAtomically(file, generateKey())).rejects.toThrow(/Refusing to overwrite/);
    expect((await readKeyFile(file))?.equals(key)).toBe(true);
  });

  it.each([
    ['short', Buffer.alloc(16).toString('base64'), /must be 32 bytes/],
    ['long', Buffer.alloc(48).toString('base64'), /must be 32 bytes/],
    ['not base64', 'this is not a key!', /not base64/],
    ['empty', '', /not base64/],
  ])('gives a clear error for a %s key', async (_name, content, message) => {
    const file = path.join(dir, 'bad.key');
    await fs.writeFile(file, content);
    await expect(readKeyFile(file)).rejects.toThrow(KeyFileError);
    await expect(readKeyFile(file)).rejects.toThrow(message);
  });
});
