import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { resetEnvCache } from '@/lib/server/env';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by lib/testing/postgres-setup.ts in the `postgres` project: the server to create test databases on. */
    postgresTestServer: string;
  }
}

/**
 * Points DATA_DIR at a fresh temporary folder: a real SQLite file and blob store per test file.
 * In the `postgres` vitest project the database is instead a fresh PostgreSQL database of its
 * own (created and migrated on first use by the app, dropped after the file), so the same
 * tests run on both databases.
 */
export function useTempDataDir(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-test-'));
  process.env.DATA_DIR = dir;
  if (process.env.PROOFSHEET_TEST_DB === 'postgres') process.env.DATABASE_URL = freshPostgresDatabase();
  for (const [k, v] of Object.entries(extra)) process.env[k] = v;
  resetEnvCache();
  return dir;
}

function freshPostgresDatabase(): string {
  const url = new URL(inject('postgresTestServer'));
  const name = `proofsheet_test_${randomBytes(6).toString('hex')}`;
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  afterAll(async () => {
    const held = (globalThis as { proofsheetDb?: { key: string; client: { $disconnect(): Promise<void> } } }).proofsheetDb;
    if (held?.key.includes(name)) await held.client.$disconnect();
    const admin = new pg.Client({ connectionString: inject('postgresTestServer') });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });
  return databaseUrl;
}
