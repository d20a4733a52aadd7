import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';

/** The part of node-sqlite3's Backup object we use (its bundled typings do not declare it). */
interface SqliteBackup {
  readonly completed: boolean;
  readonly failed: boolean;
  step(pages: number, callback: (error: Error | null) => void): void;
  finish(callback?: () => void): void;
}
type BackupCapable = sqlite3.Database & { backup(file: string, callback: (error: Error | null) => void): SqliteBackup };

export interface BackupResult {
  file: string;
  bytes: number;
}

const BUSY_RETRY_MS = 50;
const MAX_BUSY_RETRIES = 200;

/**
 * Writes a consistent snapshot of the SQLite database to `targetFile` while the service keeps running.
 *
 * Uses SQLite's online backup API on a connection of its own: the product's TypeORM connection is
 * shared by every query runner, so a backup there could collide with an open BEGIN IMMEDIATE. Copying all
 * pages in one step holds a single read transaction, and in WAL mode writers carry on meanwhile; the copy
 * is the database as of one commit. It lands in a temporary file and is renamed into place only when
 * complete and fsynced, so a crash never leaves a half-written file under the target name.
 */
export async function backupDatabase(source: DataSource | string, targetFile: string): Promise<BackupResult> {
  const sourceFile = path.resolve(sourceFileOf(source));
  const target = path.resolve(targetFile);
  if (target === sourceFile) throw new Error('backupDatabase: the target must differ from the live database file');
  await fs.access(sourceFile); // a typo must not "back up" a freshly created empty database
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.partial-${process.pid}-${Date.now()}`;
  try {
    const db = await openConnection(sourceFile);
    try {
      await copyAllPages(db, temp);
    } finally {
      await closeConnection(db);
    }
    await fsyncFile(temp);
    await fs.rename(temp, target);
    await fsyncFile(path.dirname(target));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { file: target, bytes: (await fs.stat(target)).size };
}

function sourceFileOf(source: DataSource | string): string {
  if (typeof source === 'string') return source;
  const { type, database } = source.options;
  if (type !== 'sqlite' || typeof database !== 'string')
    throw new Error('backupDatabase: only a file-backed sqlite DataSource can be backed up');
  return database;
}

function openConnection(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    // No OPEN_CREATE: a wrong path is an error, not a new empty database.
    const db: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => {
      if (error) return reject(error);
      db.configure('busyTimeout', 10_000);
      resolve(db);
    });
  });
}

function closeConnection(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
}

async function copyAllPages(db: sqlite3.Database, destination: string): Promise<void> {
  const backup = await new Promise<SqliteBackup>((resolve, reject) => {
    const handle = (db as BackupCapable).backup(destination, (error) => (error ? reject(error) : resolve(handle)));
  });
  try {
    for (let attempt = 0; !backup.completed; attempt++) {
      try {
        // -1 = every page in one step: one read transaction, hence one consistent snapshot.
        await new Promise<void>((resolve, reject) => backup.step(-1, (error) => (error ? reject(error) : resolve())));
      } catch (error) {
        // BUSY/LOCKED (the driver's retryErrors) leave the backup open to try again; anything else ends it.
        if (backup.failed || attempt >= MAX_BUSY_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      }
    }
  } finally {
    await new Promise<void>((resolve) => backup.finish(() => resolve()));
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
