import 'server-only';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client';
import { dataDir, env, fromAppRoot } from '../env';
import type { ApplyMigrationsResult } from './migrate-core';
import { createPostgresClient, migratePostgres } from './postgres';
import { createSqliteClient, migrateSqlite } from './sqlite';

/** Which database the configuration names. Each kind is a module (sqlite.ts, postgres.ts). */
export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/**
 * `DATABASE_URL` when set (relative `file:` paths resolve from the app's folder, like
 * DATA_DIR), else `DATA_DIR/proofsheet.db`. Anything else is refused by name, never guessed.
 */
export function databaseConfig(): DatabaseConfig {
  const url = env().DATABASE_URL;
  if (!url) return { kind: 'sqlite', file: path.join(dataDir(), 'proofsheet.db') };
  if (url.startsWith('file:')) return { kind: 'sqlite', file: fromAppRoot(url.slice('file:'.length).replace(/\?.*$/, '')) };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new Error(`DATABASE_URL: unsupported database "${url.split(':')[0]}:" (supported: file:, postgresql:).`);
}

/** The SQLite file, for tools that open it directly (seed, bench); refused on another database. */
export function sqliteFile(config: DatabaseConfig = databaseConfig()): string {
  if (config.kind !== 'sqlite') throw new Error(`This tool needs the SQLite database; DATABASE_URL names ${config.kind}.`);
  return config.file;
}

/** Where the database is, for messages: the file, or the URL without its password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'sqlite') return config.file;
  const url = new URL(config.url);
  if (url.password) url.password = '***';
  return url.toString();
}

type Kind<K extends DatabaseConfig['kind']> = {
  /** Synchronous where the database allows it (SQLite); Postgres answers with a promise. */
  migrate: (config: Extract<DatabaseConfig, { kind: K }>) => ApplyMigrationsResult | Promise<ApplyMigrationsResult>;
  open: (config: Extract<DatabaseConfig, { kind: K }>) => PrismaClient;
};
const kinds: { [K in DatabaseConfig['kind']]: Kind<K> } = {
  sqlite: { migrate: (config) => migrateSqlite(config.file), open: (config) => createSqliteClient(config.file) },
  // The client's first connection awaits the same migration run (postgres.ts), so db() stays synchronous.
  postgres: {
    migrate: (config) => migratePostgres(config.url),
    open: (config) => createPostgresClient(config.url, env().DATABASE_POOL_MAX),
  },
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
  if (config.kind !== 'sqlite')
    throw new Error(`prepareDatabase() is synchronous, for SQLite; use prepareDatabaseAsync() for ${config.kind}.`);
  const key = JSON.stringify(config);
  const prepared = globalForDb.proofsheetDbPrepared;
  if (prepared?.key === key) {
    if ('error' in prepared) throw prepared.error;
    return prepared.result;
  }
  try {
    const result = kinds.sqlite.migrate(config) as ApplyMigrationsResult;
    globalForDb.proofsheetDbPrepared = { key, result };
    return result;
  } catch (error) {
    globalForDb.proofsheetDbPrepared = { key, error };
    throw error;
  }
}

/** prepareDatabase for any database: what the server and the worker await at start. */
export async function prepareDatabaseAsync(): Promise<ApplyMigrationsResult> {
  const config = databaseConfig();
  if (config.kind === 'sqlite') return prepareDatabase();
  return kinds.postgres.migrate(config);
}

/** One Prisma client per process and configuration, built from the configuration on first use. */
export function db(): PrismaClient {
  const config = databaseConfig();
  const key = JSON.stringify(config);
  const current = globalForDb.proofsheetDb;
  if (current && current.key === key) return current.client;
  // Already done at start in the server (a no-op then); scripts and tests get it here.
  // On Postgres the client's first connection awaits it instead.
  if (config.kind === 'sqlite') prepareDatabase();
  const client = config.kind === 'sqlite' ? kinds.sqlite.open(config) : kinds.postgres.open(config);
  globalForDb.proofsheetDb = { key, client };
  return client;
}
