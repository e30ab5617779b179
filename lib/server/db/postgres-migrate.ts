// No `import 'server-only'`: scripts (npm run db:migrate:postgres) and tests run this too.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  type ApplyMigrationsResult,
  MigrationError,
  type MigrationFile,
  type MigrationRow,
  pendingMigrations,
  readMigrations,
  sha256Hex,
} from './migrate-core';

/**
 * The Postgres side of migrate-core: applies prisma/postgres/migrations (generated from the
 * SQLite history by scripts/db/postgres-schema.mjs) at start, keeping `_prisma_migrations`
 * exactly as `prisma migrate deploy` does, so either can take over from the other. Same
 * refusals as on SQLite (failed row, edited file, foreign tables, wrong provider). Like
 * `migrate deploy`, a database that does not exist yet is created.
 *
 * Several processes starting at once: a session advisory lock makes them take turns; each
 * migration runs in one transaction (Postgres DDL is transactional), so a failure leaves
 * nothing behind.
 */

// Prisma's own DDL for Postgres, so the engine reads the table back as its own:
// https://github.com/prisma/prisma-engines/blob/main/schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

/** Any fixed number: the key of the advisory lock that serializes migrating processes. */
const MIGRATION_LOCK_KEY = 7_201_410_714;

/** Connects, creating the database first when the server says it does not exist (3D000). */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => {});
    if ((e as { code?: string }).code !== '3D000') throw e;
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  await adminClient.connect();
  try {
    // Byte-order text, like SQLite: ids and titles sort (and ILIKE folds ASCII case) the same
    // on both databases, whatever the server's default locale.
    await adminClient.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } catch (e) {
    // Another process created it meanwhile: 42P04, or 23505 when both were creating it at once.
    const code = (e as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw e;
  } finally {
    await adminClient.end();
  }
  const client2 = new pg.Client({ connectionString: url });
  await client2.connect();
  return client2;
}

async function tableNames(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  return rows.map((r) => r.name);
}

async function readRows(client: pg.Client): Promise<MigrationRow[]> {
  if (!(await tableNames(client)).includes('_prisma_migrations')) return [];
  const { rows } = await client.query<{
    id: string;
    checksum: string;
    finished_at: Date | null;
    migration_name: string;
    rolled_back_at: Date | null;
  }>(`SELECT id, checksum, finished_at, migration_name, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at ASC`);
  return rows.map((r) => ({
    ...r,
    finished_at: r.finished_at?.toISOString() ?? null,
    rolled_back_at: r.rolled_back_at?.toISOString() ?? null,
  }));
}

async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  const tables = await tableNames(client);
  if (tables.includes('_prisma_migrations')) return;
  if (tables.length > 0) {
    throw new MigrationError(
      'database_not_empty',
      `The database has tables (${tables.join(', ')}) but no _prisma_migrations table, so its schema is unknown. ` +
        'Baseline it with `prisma migrate resolve --applied <first migration>` or use a new database.',
    );
  }
  await client.query(MIGRATIONS_TABLE_DDL);
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)`, [
      id,
      sha256Hex(migration.script),
      migration.name,
    ]);
    try {
      // No parameters: the simple query protocol runs the whole multi-statement script.
      await client.query(migration.script);
    } catch (e) {
      throw new MigrationError(
        'apply_failed',
        `Migration ${migration.name} failed and was rolled back: ${(e as Error).message}`,
        migration.name,
      );
    }
    await client.query(`UPDATE "_prisma_migrations" SET applied_steps_count = 1, finished_at = clock_timestamp() WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** Brings the database at `url` up to date with `migrationsDir` (prisma/postgres/migrations). */
export async function applyPostgresMigrations(url: string, migrationsDir: string): Promise<ApplyMigrationsResult> {
  const files = readMigrations(migrationsDir, 'postgresql');
  const client = await connect(url);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await ensureMigrationsTable(client);
      const applied: string[] = [];
      for (const migration of pendingMigrations(files, await readRows(client))) {
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
