import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database/open-database';

/**
 * Unit tests: a migrated SQLite file in a fresh temp directory for the suite (`each` for every test),
 * foreign keys off so rows can be written without their parents. Read the source inside tests.
 */
export function useTempDatabase(prefix: string): () => DataSource {
  let dir: string;
  let source: DataSource | undefined;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), `bb-${prefix}-`));
  });
  beforeEach(async () => {
    source = await openDatabase(path.join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`));
    await source.query('PRAGMA foreign_keys = OFF');
  });
  afterEach(async () => {
    if (source?.isInitialized) await source.destroy();
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!source) throw new Error('the temp database is not open');
    return source;
  };
}
