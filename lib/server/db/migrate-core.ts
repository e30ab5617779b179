// No `import 'server-only'` here on purpose: scripts (and their tests) run this file outside
// Next. It depends only on node: modules and better-sqlite3.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Applies pending `prisma/migrations/<name>/migration.sql` files at app start, the way
 * `prisma migrate deploy` would, without the Prisma CLI (its schema engine is not available
 * at runtime, see scripts/schema-engine-shim.mjs). It keeps `_prisma_migrations` exactly as
 * Prisma does, so `prisma migrate status` / `migrate dev` keep working on the same file.
 *
 * Differences from `migrate deploy`, all deliberate:
 * - each migration runs in its own `BEGIN IMMEDIATE` transaction: a failing migration leaves
 *   nothing behind (Prisma would record a failed row and need `migrate resolve`), and two
 *   processes starting at once serialize on SQLite's write lock instead of both applying;
 * - a migration file edited after it was applied is refused (deploy only warns in `dev`).
 */

export type MigrationErrorCode =
  | 'migrations_unreadable' // a migration folder without a readable migration.sql
  | 'provider_mismatch' // migration_lock.toml was written for another database
  | 'edited_after_apply' // checksum in _prisma_migrations differs from the file
  | 'failed_migration_recorded' // a row left by a failed `prisma migrate deploy` (P3009)
  | 'database_not_empty' // tables exist but no _prisma_migrations: not ours to migrate (P3005)
  | 'apply_failed'; // the SQL of a migration failed; it was rolled back

export class MigrationError extends Error {
  readonly code: MigrationErrorCode;
  readonly migration: string | undefined;

  constructor(code: MigrationErrorCode, message: string, migration?: string) {
    super(message);
    this.name = 'MigrationError';
    this.code = code;
    this.migration = migration;
  }
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order. Empty when up to date. */
  applied: string[];
}

export interface ApplyMigrationsOptions {
  /** How long to wait for another process holding the write lock. */
  busyTimeoutMs?: number;
}

// Prisma's own DDL for SQLite, byte for byte, so the engine reads the table back as its own:
// https://github.com/prisma/prisma-engines/blob/main/schema-engine/connectors/sql-schema-connector/src/flavour/sqlite.rs
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);
`;

export interface MigrationFile {
  name: string;
  script: string;
}

export interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: string | null;
  migration_name: string;
  rolled_back_at: string | null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Prisma's comparison: the file may have gained or lost CRLF line endings (git on Windows)
 * and still match; old engines wrote hex without zero padding.
 * https://github.com/prisma/prisma-engines/blob/main/schema-engine/connectors/schema-connector/src/checksum.rs
 */
function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((v) => {
    const digest = createHash('sha256').update(v, 'utf8').digest();
    if (checksum.length !== 0 && checksum.length !== 64) {
      return [...digest].map((b) => b.toString(16)).join('') === checksum;
    }
    return digest.toString('hex') === checksum;
  });
}

/**
 * The format the driver adapter writes DateTime values in (ISO 8601 with `+00:00`), which is
 * what `prisma migrate` writes into this table through @prisma/adapter-better-sqlite3.
 */
function nowTimestamp(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

/** The migration files in order; `provider` is the one migration_lock.toml must name. */
export function readMigrations(migrationsDir: string, provider: 'sqlite' | 'postgresql' = 'sqlite'): MigrationFile[] {
  if (!fs.existsSync(migrationsDir)) return [];
  const lock = path.join(migrationsDir, 'migration_lock.toml');
  if (fs.existsSync(lock)) {
    const found = /^\s*provider\s*=\s*"([^"]*)"/m.exec(fs.readFileSync(lock, 'utf8'))?.[1];
    if (found !== undefined && found !== provider) {
      const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      throw new MigrationError(
        'provider_mismatch',
        `${lock} says provider "${found}", but this database is ${name}. Recreate the migrations for ${name}.`,
      );
    }
  }
  const names = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    // Byte order, like the engine; names start with a UTC timestamp.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const file = path.join(migrationsDir, name, 'migration.sql');
    try {
      return { name, script: fs.readFileSync(file, 'utf8') };
    } catch (e) {
      throw new MigrationError(
        'migrations_unreadable',
        `Cannot read ${file} (${(e as Error).message}). Every folder in ${migrationsDir} must hold a migration.sql.`,
        name,
      );
    }
  });
}

function hasMigrationsTable(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get() !== undefined;
}

function readRows(db: Database.Database): MigrationRow[] {
  if (!hasMigrationsTable(db)) return [];
  return db
    .prepare(`SELECT id, checksum, finished_at, migration_name, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at ASC`)
    .all() as MigrationRow[];
}

/** Throws for the states `migrate deploy`/`migrate dev` refuse; returns the names still to apply. */
export function pendingMigrations(files: MigrationFile[], rows: MigrationRow[]): MigrationFile[] {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((r) => r.migration_name).join(', ');
    throw new MigrationError(
      'failed_migration_recorded',
      `The database records failed migration(s): ${names}. Fix the database, then run ` +
        '`prisma migrate resolve --rolled-back <name>` (or `--applied`) before starting the app.',
      failed[0]?.migration_name,
    );
  }
  for (const file of files) {
    const row = live.find((r) => r.migration_name === file.name);
    if (row && !scriptMatchesChecksum(file.script, row.checksum)) {
      throw new MigrationError(
        'edited_after_apply',
        `Migration ${file.name} was modified after it was applied to this database ` +
          `(checksum ${row.checksum}, file ${sha256Hex(file.script)}). Restore the file; put changes in a new migration.`,
        file.name,
      );
    }
  }
  return files.filter((file) => !live.some((r) => r.migration_name === file.name));
}

function ensureMigrationsTable(db: Database.Database): void {
  if (hasMigrationsTable(db)) return;
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  if (tables.length > 0) {
    throw new MigrationError(
      'database_not_empty',
      `The database has tables (${tables.map((t) => t.name).join(', ')}) but no _prisma_migrations table, ` +
        'so its schema is unknown. Baseline it with `prisma migrate resolve --applied <init migration>` or use a new DATA_DIR.',
    );
  }
  db.exec(MIGRATIONS_TABLE_DDL);
}

function applyOne(db: Database.Database, migration: MigrationFile, files: MigrationFile[]): boolean {
  // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched off first, as
  // https://www.sqlite.org/lang_altertable.html#otheralter prescribes for table rebuilds
  // (Prisma's RedefineTables steps); the FK check before COMMIT takes its place.
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    ensureMigrationsTable(db);
    // Another process may have applied it while we waited for the lock.
    if (!pendingMigrations(files, readRows(db)).some((m) => m.name === migration.name)) {
      db.exec('COMMIT');
      return false;
    }
    const id = randomUUID();
    db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)`).run(
      id,
      sha256Hex(migration.script),
      nowTimestamp(),
      migration.name,
    );
    try {
      db.exec(migration.script);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new Error(`it leaves ${violations.length} foreign key violation(s), e.g. ${JSON.stringify(violations[0])}`);
      }
    } catch (e) {
      throw new MigrationError(
        'apply_failed',
        `Migration ${migration.name} failed and was rolled back: ${(e as Error).message}`,
        migration.name,
      );
    }
    db.prepare(`UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = ? WHERE id = ?`).run(
      nowTimestamp(),
      id,
    );
    db.exec('COMMIT');
    return true;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/**
 * Brings `dbFile` up to date with `migrationsDir`, synchronously. Creates the file and its
 * folder when missing. Throws a MigrationError (see its `code`) rather than start on a
 * database whose history does not match the code.
 */
export function applyMigrations(dbFile: string, migrationsDir: string, options: ApplyMigrationsOptions = {}): ApplyMigrationsResult {
  const files = readMigrations(migrationsDir);
  fs.mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
  const db = new Database(dbFile, { timeout: options.busyTimeoutMs ?? 15_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Checked without the write lock first: the common case (up to date) stays read-only.
    const pending = pendingMigrations(files, readRows(db));
    const applied: string[] = [];
    for (const migration of pending) {
      if (applyOne(db, migration, files)) applied.push(migration.name);
    }
    return { applied };
  } finally {
    db.close();
  }
}
