import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client';
import { appRoot } from '../env';
import { applyMigrations, type ApplyMigrationsResult } from './migrate-core';

/** The migrations of the app's own folder, wherever the server was started from. */
export function migrationsDir(): string {
  return path.join(appRoot(), 'prisma', 'migrations');
}

/**
 * Creates (when missing) and migrates the database file. Run once at start, before the client
 * opens it (client.ts `prepareDatabase`). A folder with no migrations is refused rather than
 * leave an empty database file behind.
 */
export function migrateSqlite(file: string): ApplyMigrationsResult {
  const dir = migrationsDir();
  const hasMigrations = fs.existsSync(dir) && fs.readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory());
  if (!hasMigrations) throw new Error(`No migrations found in ${dir}; set PROOFSHEET_ROOT to the Proofsheet folder.`);
  return applyMigrations(file, dir);
}

/**
 * WAL with synchronous=FULL: each commit is fsynced to the log before it returns, so a commit
 * the app reported survives a power cut (NORMAL, the WAL default, may lose the last ones).
 * The pragma is per connection, so it is set as each connection opens, before any query.
 */
class DurableSqlite extends PrismaBetterSqlite3 {
  override async connect(): Promise<Awaited<ReturnType<PrismaBetterSqlite3['connect']>>> {
    const adapter = await super.connect();
    await adapter.executeScript('PRAGMA synchronous = FULL;');
    return adapter;
  }
}

/** The embedded database: one SQLite file through the better-sqlite3 driver adapter. */
export function createSqliteClient(file: string): PrismaClient {
  return new PrismaClient({ adapter: new DurableSqlite({ url: `file:${file}`, timeout: 5000 }) });
}
