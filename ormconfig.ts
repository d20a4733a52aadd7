import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

// For the TypeORM CLI, e.g. `npx typeorm migration:show -d dist/ormconfig.js`.
export default new DataSource(dataSourceOptions(loadConfig().databasePath));
