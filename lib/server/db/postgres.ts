import 'server-only';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient } from '../generated/prisma/client';
import { PrismaClient as PgPrismaClient } from '../generated/prisma-pg/client';
import { appRoot } from '../env';
import type { ApplyMigrationsResult } from './migrate-core';
import { applyPostgresMigrations } from './postgres-migrate';

/** prisma/postgres/migrations of the app's own folder (generated, see scripts/db/postgres-schema.mjs). */
export function postgresMigrationsDir(): string {
  return path.join(appRoot(), 'prisma', 'postgres', 'migrations');
}

const globalForPg = globalThis as unknown as { proofsheetPgMigrated?: Map<string, Promise<ApplyMigrationsResult>> };

/** Migrates once per process and URL; every caller (start, first connection) awaits the same run. */
export function migratePostgres(url: string): Promise<ApplyMigrationsResult> {
  globalForPg.proofsheetPgMigrated ??= new Map();
  let done = globalForPg.proofsheetPgMigrated.get(url);
  if (!done) {
    done = applyPostgresMigrations(url, postgresMigrationsDir());
    globalForPg.proofsheetPgMigrated.set(url, done);
  }
  return done;
}

/**
 * The first connection waits for the migrations: db() stays synchronous (as on SQLite, where
 * migrating is synchronous) and scripts and tests need no separate step. The server migrates
 * at start anyway (instrumentation.ts), so there this is an already-settled promise.
 */
class MigratingPg extends PrismaPg {
  constructor(
    private readonly url: string,
    max: number,
  ) {
    super({ connectionString: url, max });
  }

  override async connect(): Promise<Awaited<ReturnType<PrismaPg['connect']>>> {
    await migratePostgres(this.url);
    return super.connect();
  }
}

/**
 * PostgreSQL through the pg driver adapter. Prisma bakes the provider into a generated client,
 * so this is the client generated from prisma/postgres/schema.prisma; its models are the same
 * as the SQLite client's (both come from prisma/schema.prisma), so it is typed as that one and
 * the services are written once.
 */
export function createPostgresClient(url: string, poolMax: number): PrismaClient {
  return new PgPrismaClient({ adapter: new MigratingPg(url, poolMax) }) as unknown as PrismaClient;
}
