import 'server-only';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client';
import { dataDir, env, fromAppRoot } from '../env';
import type { ApplyMigrationsResult } from './migrate-core';
import { createSqliteClient, migrateSqlite } from './sqlite';

/** Which database the configuration names. A second database is a second kind and module. */
export type DatabaseConfig = { kind: 'sqlite'; file: string };

/**
 * `DATABASE_URL` when set (relative `file:` paths resolve from the app's folder, like
 * DATA_DIR), else `DATA_DIR/proofsheet.db`. Anything else is refused by name, never guessed.
 */
export function databaseConfig(): DatabaseConfig {
  const url = env().DATABASE_URL;
  if (!url) return { kind: 'sqlite', file: path.join(dataDir(), 'proofsheet.db') };
  if (url.startsWith('file:')) return { kind: 'sqlite', file: fromAppRoot(url.slice('file:'.length).replace(/\?.*$/, '')) };
  throw new Error(`DATABASE_URL: unsupported database "${url.split(':')[0]}:" (supported: file:).`);
}

type Kind<K extends DatabaseConfig['kind']> = {
  migrate: (config: Extract<DatabaseConfig, { kind: K }>) => ApplyMigrationsResult;
  open: (config: Extract<DatabaseConfig, { kind: K }>) => PrismaClient;
};
const kinds: { [K in DatabaseConfig['kind']]: Kind<K> } = {
  sqlite: { migrate: (config) => migrateSqlite(config.file), open: (config) => createSqliteClient(config.file) },
};

type Prepared = { key: string; result: ApplyMigrationsResult } | { key: string; error: unknown };
const globalForDb = globalThis as unknown as { proofsheetDb?: { key: string; client: PrismaClient }; proofsheetDbPrepared?: Prepared };

/**
 * Brings the configured database up to date, once per process and configuration.
 * instrumentation.ts calls it at start, before the worker or any request. A failure is kept
 * and thrown again as is: a broken migration is reported once, not retried on every query.
 */
export function prepareDatabase(): ApplyMigrationsResult {
  const config = databaseConfig();
  const key = JSON.stringify(config);
  const prepared = globalForDb.proofsheetDbPrepared;
  if (prepared?.key === key) {
    if ('error' in prepared) throw prepared.error;
    return prepared.result;
  }
  try {
    const result = kinds[config.kind].migrate(config);
    globalForDb.proofsheetDbPrepared = { key, result };
    return result;
  } catch (error) {
    globalForDb.proofsheetDbPrepared = { key, error };
    throw error;
  }
}

/** One Prisma client per process and configuration, built from the configuration on first use. */
export function db(): PrismaClient {
  const config = databaseConfig();
  const key = JSON.stringify(config);
  const current = globalForDb.proofsheetDb;
  if (current && current.key === key) return current.client;
  // Already done at start in the server (a no-op then); scripts and tests get it here.
  prepareDatabase();
  const client = kinds[config.kind].open(config);
  globalForDb.proofsheetDb = { key, client };
  return client;
}
