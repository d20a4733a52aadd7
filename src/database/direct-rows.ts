import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Hand-written SQL for the few statements every poll runs per calendar, with rows and values converted by
 * TypeORM's own column metadata and driver (so entities and stored values are exactly what the repository
 * API gives and writes). TypeORM's query building cost ~0.3 ms of CPU per statement, about three times the
 * statement itself; a quiet poll ran a dozen per calendar.
 */
export class DirectRows<T extends ObjectLiteral> {
  private readonly meta: EntityMetadata;
  private readonly byProperty = new Map<string, ColumnMetadata>();
  private readonly sqlCache = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    this.meta = dataSource.getMetadata(target);
    for (const column of this.meta.columns) this.byProperty.set(column.propertyName, column);
  }

  get table(): string {
    return this.meta.tableName;
  }

  column(property: keyof T & string): string {
    return this.columnMeta(property).databaseName;
  }

  /** A raw row (database column names) as the entity TypeORM would have loaded. */
  hydrate(raw: Record<string, unknown>): T {
    const entity = this.meta.create() as T;
    for (const column of this.meta.columns) {
      const value = raw[column.databaseName];
      if (value === undefined) continue;
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(value, column));
    }
    return entity;
  }

  /** The value as TypeORM would store it in this property's column. */
  persist(property: keyof T & string, value: unknown): unknown {
    return this.dataSource.driver.preparePersistentValue(value, this.columnMeta(property));
  }

  /** `SELECT * ... WHERE column = ?`, the SQL built once per column. */
  async findOneBy(
    run: (sql: string, params: unknown[]) => Promise<unknown>,
    property: keyof T & string,
    value: unknown,
  ): Promise<T | null> {
    const sql = this.cached(
      `find:${property}`,
      () => `SELECT * FROM "${this.table}" WHERE "${this.column(property)}" = ? LIMIT 1`,
    );
    const rows = (await run(sql, [this.persist(property, value)])) as Array<Record<string, unknown>>;
    return rows.length ? this.hydrate(rows[0]) : null;
  }

  /** `SELECT * ... WHERE column = ? ORDER BY id`, every match. */
  async findBy(
    run: (sql: string, params: unknown[]) => Promise<unknown>,
    property: keyof T & string,
    value: unknown,
  ): Promise<T[]> {
    const order = this.meta.primaryColumns.map((c) => `"${c.databaseName}"`).join(', ');
    const sql = this.cached(
      `all:${property}`,
      () => `SELECT * FROM "${this.table}" WHERE "${this.column(property)}" = ? ORDER BY ${order}`,
    );
    const rows = (await run(sql, [this.persist(property, value)])) as Array<Record<string, unknown>>;
    return rows.map((row) => this.hydrate(row));
  }

  /**
   * One statement that inserts `insert` (with `changes`) or, when the row keyed by `key` exists, applies only
   * `changes`: no read first, no transaction around it (a single statement is atomic).
   */
  upsertSql(key: keyof T & string, insert: Partial<T>, changes: Partial<T>): { sql: string; params: unknown[] } {
    const insertProps = [...new Set([key, ...Object.keys(insert), ...Object.keys(changes)])] as Array<keyof T & string>;
    const changeProps = Object.keys(changes) as Array<keyof T & string>;
    const sql = this.cached(`upsert:${key}:${insertProps.join(',')}:${changeProps.join(',')}`, () => {
      const cols = insertProps.map((p) => `"${this.column(p)}"`);
      const set = changeProps.map((p) => `"${this.column(p)}" = excluded."${this.column(p)}"`);
      return `INSERT INTO "${this.table}" (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT ("${this.column(key)}") DO UPDATE SET ${set.join(', ')}`;
    });
    const values: Partial<T> = { ...insert, ...changes };
    return { sql, params: insertProps.map((p) => this.persist(p, values[p])) };
  }

  private columnMeta(property: string): ColumnMetadata {
    const column = this.byProperty.get(property);
    if (!column) throw new Error(`${this.meta.name} has no column ${property}`);
    return column;
  }

  private cached(key: string, build: () => string): string {
    let sql = this.sqlCache.get(key);
    if (!sql) this.sqlCache.set(key, (sql = build()));
    return sql;
  }
}
