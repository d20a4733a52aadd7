import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';

/** Options for the one SQLite file; shared by the app and ormconfig.ts (TypeORM CLI). */
export function dataSourceOptions(databasePath: string): DataSourceOptions {
  return {
    type: 'sqlite',
    database: path.resolve(databasePath),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // Schema changes only ever come from hand-written migrations.
    synchronize: false,
    migrationsRun: false,
    enableWAL: true,
    busyTimeout: 10_000,
    logging: false,
    // TypeORM asks the driver for verbose(), which makes node-sqlite3 wrap every statement: a stack trace
    // captured and every argument util.inspect-ed, per query - about a sixth of a quiet poll's CPU. The plain
    // module keeps errors as SQLite reports them.
    driver: { verbose: () => sqlite3 },
  };
}
