import 'server-only';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client';
import { dataDir, env } from '../env';
import { createSqliteClient } from './sqlite';

/** Which database the configuration names. A second database is a second kind and module. */
export type DatabaseConfig = { kind: 'sqlite'; file: string };

/**
 * `DATABASE_URL` when set (`file:` paths are resolved from the working directory, as Prisma's
 * CLI does), else `DATA_DIR/proofsheet.db`. Anything else is refused by name, never guessed.
 */
export function databaseConfig(): DatabaseConfig {
  const url = env().DATABASE_URL;
  if (!url) return { kind: 'sqlite', file: path.join(dataDir(), 'proofsheet.db') };
  if (url.startsWith('file:')) return { kind: 'sqlite', file: path.resolve(url.slice('file:'.length).replace(/\?.*$/, '')) };
  throw new Error(`DATABASE_URL: unsupported database "${url.split(':')[0]}:" (supported: file:).`);
}

const factories: { [K in DatabaseConfig['kind']]: (config: Extract<DatabaseConfig, { kind: K }>) => PrismaClient } = {
  sqlite: (config) => createSqliteClient(config.file),
};

const globalForDb = globalThis as unknown as { proofsheetDb?: { key: string; client: PrismaClient } };

/** One Prisma client per process and configuration, built from the configuration on first use. */
export function db(): PrismaClient {
  const config = databaseConfig();
  const key = JSON.stringify(config);
  const current = globalForDb.proofsheetDb;
  if (current && current.key === key) return current.client;
  const client = factories[config.kind](config);
  globalForDb.proofsheetDb = { key, client };
  return client;
}

export type Db = PrismaClient;
