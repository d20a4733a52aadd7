import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { Organization } from '../../src/database/entities';
import { openDatabase } from '../../src/database/open-database';
import { startProduct } from '../support/product';

describe('the product starts', () => {
  it('answers /health and sends / to the wizard while no organization exists', async () => {
    const product = await startProduct();
    try {
      const health = await fetch(`${product.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: 'ok',
        database: 'ok',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
      const root = await fetch(`${product.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/setup');
      await expect(fs.stat(product.config.databasePath)).resolves.toBeTruthy();
    } finally {
      await product.close();
    }
  });

  it('answers 503 when the database is unusable', async () => {
    const product = await startProduct();
    try {
      await product.app.get(DataSource).destroy();
      const health = await fetch(`${product.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'error', database: 'error' });
    } finally {
      await product.close();
    }
  });

  it('unknown routes and malformed JSON are clear 4xx answers in the API error shape', async () => {
    const product = await startProduct();
    try {
      const missing = await fetch(`${product.url}/no/such/route`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: expect.any(String) });
      const bad = await fetch(`${product.url}/health`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{oops',
      });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
    } finally {
      await product.close();
    }
  });

  describe('once an organization exists', () => {
    let dir: string;
    let dbFile: string;
    let keyFile: string;
    const key = randomBytes(32);
    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-key-start-'));
      dbFile = path.join(dir, 'data', 'calendar-sync.db');
      keyFile = path.join(dir, 'secrets', 'encryption.key');
      const ds: DataSource = await openDatabase(dbFile);
      const crypto = new EncryptionService();
      crypto.useKey(key);
      await ds.getRepository(Organization).insert({
        googleWorkspaceDomain: 'example.com',
        googleClientIdEncrypted: crypto.encrypt('client-id'),
        googleClientSecretEncrypted: crypto.encrypt('client-secret'),
      });
      await ds.destroy();
    });
    afterAll(() => fs.rm(dir, { recursive: true, force: true }));
    const env = () => ({ DATABASE_PATH: dbFile, ENCRYPTION_KEY_FILE: keyFile });

    it('refuses to start without the key file, with a clear message', async () => {
      await expect(startProduct(env(), dir)).rejects.toThrow(/ENCRYPTION_KEY_FILE .* is missing/);
    });

    it('refuses to start with a wrong key', async () => {
      await fs.mkdir(path.dirname(keyFile), { recursive: true });
      await fs.writeFile(keyFile, randomBytes(32).toString('base64'));
      await expect(startProduct(env(), dir)).rejects.toThrow(/does not match this database \(wrong encryption key\)/);
    });

    it('refuses a short key', async () => {
      await fs.writeFile(keyFile, randomBytes(20).toString('base64'));
      await expect(startProduct(env(), dir)).rejects.toThrow(/must be 32 bytes/);
    });

    it('starts with the right key and sends / to the app', async () => {
      await fs.writeFile(keyFile, key.toString('base64'));
      const product = await startProduct(env(), dir);
      try {
        const root = await fetch(`${product.url}/`, { redirect: 'manual' });
        expect(root.headers.get('location')).toBe('/app');
      } finally {
        await product.close();
      }
    });
  });
});
