import 'server-only';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client';
import { databaseFile } from '../env';
import { applyMigrations } from './migrate-core';

const globalForDb = globalThis as unknown as { proofsheetDb?: { file: string; client: PrismaClient } };

/**
 * One Prisma client per process and database file. The first call creates and migrates
 * the SQLite file, so a fresh clone needs no manual database step.
 */
export function db(): PrismaClient {
  const file = databaseFile();
  const current = globalForDb.proofsheetDb;
  if (current && current.file === file) return current.client;
  applyMigrations(file, path.resolve(process.cwd(), 'prisma/migrations'));
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  const client = new PrismaClient({ adapter });
  globalForDb.proofsheetDb = { file, client };
  return client;
}

export type Db = PrismaClient;
