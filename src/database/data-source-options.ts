import * as path from 'node:path';
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
  };
}
