import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Opens (creating if needed) the SQLite file, applies the durability pragmas and runs pending
 * migrations. Safe to call on every start: applied migrations are skipped.
 */
export async function openDatabase(databasePath: string): Promise<DataSource> {
  await fs.mkdir(path.dirname(path.resolve(databasePath)), { recursive: true });
  const dataSource = new DataSource(dataSourceOptions(databasePath));
  await dataSource.initialize();
  try {
    // FULL: a Pi's SD card can lose power at any moment; a committed sync must survive it.
    await dataSource.query('PRAGMA synchronous = FULL');
    await dataSource.query('PRAGMA foreign_keys = ON');
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
