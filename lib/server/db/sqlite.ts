import 'server-only';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client';
import { applyMigrations } from './migrate-core';

/**
 * The embedded database: one SQLite file through the better-sqlite3 driver adapter. The file
 * is created and migrated before the client opens it, so a fresh clone needs no step.
 */
export function createSqliteClient(file: string): PrismaClient {
  applyMigrations(file, path.resolve(process.cwd(), 'prisma/migrations'));
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 }) });
}
