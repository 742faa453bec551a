// The host keeps the records of every environment of its object in one table each, keyed by environment. Tables an
// earlier layout wrote (one Durable Object per environment) get the column, their rows being that object's.

/** Adds `environment` to a table written before it existed: its rows were production's (the host's own object). */
export function ensureEnvironmentColumn(sql: SqlStorage, table: string): void {
  try {
    sql.exec(`SELECT environment FROM ${table} LIMIT 0`);
  } catch {
    // SQLite answers "no such column": the table predates environments.
    sql.exec(`ALTER TABLE ${table} ADD COLUMN environment TEXT NOT NULL DEFAULT 'production'`);
  }
}

/** Keeps the newest `keep` rows of one environment in a table with a `seq` column. */
export function trimEnvironment(sql: SqlStorage, table: string, environment: string, keep: number): void {
  sql.exec(`DELETE FROM ${table} WHERE environment = ? AND seq < (SELECT seq FROM ${table} WHERE environment = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`, environment, environment, keep - 1);
}
