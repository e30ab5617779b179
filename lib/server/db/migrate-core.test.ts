import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError, type MigrationErrorCode } from './migrate-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const repoMigrations = path.join(repoRoot, 'prisma', 'migrations');
const repoNames = fs
  .readdirSync(repoMigrations, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

// What `prisma migrate dev` generated for a throwaway nullable field made required with a
// default: an ADD COLUMN, then a SQLite table rebuild ("RedefineTables") of a parent table.
const ADD_THROWAWAY = `-- AlterTable
ALTER TABLE "Session" ADD COLUMN "throwaway" TEXT;`;
const REDEFINE_SESSION = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "throwaway" TEXT NOT NULL DEFAULT 'x',
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "archivedAt" DATETIME,
    "deletedAt" DATETIME
);
INSERT INTO "new_Session" ("archivedAt", "createdAt", "deletedAt", "id", "notes", "throwaway", "title", "updatedAt") SELECT "archivedAt", "createdAt", "deletedAt", "id", "notes", coalesce("throwaway", 'x') AS "throwaway", "title", "updatedAt" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE INDEX "Session_deletedAt_updatedAt_idx" ON "Session"("deletedAt", "updatedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

// A rebuild of a table that others reference with ON DELETE SET NULL: run with foreign keys
// on, its DROP TABLE would null Variation.outputAssetId.
const REDEFINE_ASSET = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Asset" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sha256" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'upload',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Asset" ("bytes", "createdAt", "height", "id", "mime", "origin", "sha256", "width") SELECT "bytes", "createdAt", "height", "id", "mime", "origin", "sha256", "width" FROM "Asset";
DROP TABLE "Asset";
ALTER TABLE "new_Asset" RENAME TO "Asset";
CREATE UNIQUE INDEX "Asset_sha256_key" ON "Asset"("sha256");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-core-'));
  temps.push(dir);
  return dir;
}

/** A copy of the repo's migrations, plus extra `name -> sql` folders. */
function migrationsDir(root: string, extra: Record<string, string> = {}): string {
  const dir = path.join(root, 'migrations');
  fs.cpSync(repoMigrations, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) addMigration(dir, name, sql);
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

function open(file: string): Database.Database {
  return new Database(file);
}

function errorCode(fn: () => unknown): MigrationErrorCode {
  try {
    fn();
  } catch (e) {
    if (e instanceof MigrationError) return e.code;
    throw e;
  }
  throw new Error('expected a MigrationError');
}

function tableNames(file: string): string[] {
  const db = open(file);
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('applyMigrations', () => {
  it('creates the folder, the file and every table on a fresh database', () => {
    const file = path.join(tempDir(), 'nested', 'data', 'proofsheet.db');
    const result = applyMigrations(file, repoMigrations);
    expect(result.applied).toEqual(repoNames);
    expect(tableNames(file)).toEqual(
      expect.arrayContaining(['Asset', 'Run', 'RunReference', 'Session', 'Variation', '_prisma_migrations']),
    );
    const db = open(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('records _prisma_migrations rows the way prisma migrate does', () => {
    const file = path.join(tempDir(), 'proofsheet.db');
    applyMigrations(file, repoMigrations);
    const db = open(file);
    const ddl = db.prepare(`SELECT sql FROM sqlite_master WHERE name = '_prisma_migrations'`).get() as { sql: string };
    const rows = db.prepare(`SELECT * FROM _prisma_migrations ORDER BY migration_name`).all() as Record<string, unknown>[];
    db.close();
    expect(ddl.sql).toContain('"applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0');
    expect(rows.map((r) => r.migration_name)).toEqual(repoNames);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(repoMigrations, String(row.migration_name), 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toMatch(iso);
      expect(row.started_at).toMatch(iso);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('applies nothing on a second run', () => {
    const file = path.join(tempDir(), 'proofsheet.db');
    expect(applyMigrations(file, repoMigrations).applied.length).toBeGreaterThan(0);
    expect(applyMigrations(file, repoMigrations).applied).toEqual([]);
    const db = open(file);
    expect(db.prepare('SELECT count(*) AS n FROM _prisma_migrations').get()).toEqual({ n: repoNames.length });
    db.close();
  });

  it('applies a new migration folder and keeps data through a table rebuild', () => {
    const root = tempDir();
    const file = path.join(root, 'proofsheet.db');
    const dir = migrationsDir(root);
    applyMigrations(file, dir);

    let db = open(file);
    db.prepare(`INSERT INTO "Session" (id, title, updatedAt) VALUES ('s1', 'Shoot', '2026-01-01T00:00:00.000+00:00')`).run();
    db.prepare(`INSERT INTO "Run" (id, sessionId, instruction, params, targets) VALUES ('r1', 's1', 'hi', '{}', '[]')`).run();
    db.prepare(
      `INSERT INTO "Asset" (id, sha256, mime, width, height, bytes, origin) VALUES ('a1', 'h', 'image/png', 1, 1, 1, 'output')`,
    ).run();
    db.prepare(
      `INSERT INTO "Variation" (id, runId, targetId, provider, model, "index", seed, outputAssetId) VALUES ('v1', 'r1', 't', 'p', 'm', 0, 1, 'a1')`,
    ).run();
    db.close();

    const added = ['99990101000000_add_throwaway', '99990101000001_redefine_session', '99990101000002_redefine_asset'];
    addMigration(dir, added[0]!, ADD_THROWAWAY);
    addMigration(dir, added[1]!, REDEFINE_SESSION);
    addMigration(dir, added[2]!, REDEFINE_ASSET);
    expect(applyMigrations(file, dir).applied).toEqual(added);

    db = open(file);
    expect(db.prepare(`SELECT id, title, throwaway FROM "Session"`).all()).toEqual([{ id: 's1', title: 'Shoot', throwaway: 'x' }]);
    expect(db.prepare(`SELECT sessionId FROM "Run"`).all()).toEqual([{ sessionId: 's1' }]);
    expect(db.prepare(`SELECT outputAssetId FROM "Variation"`).all()).toEqual([{ outputAssetId: 'a1' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('refuses a migration edited after it was applied, but not a line-ending change', () => {
    const root = tempDir();
    const file = path.join(root, 'proofsheet.db');
    const dir = migrationsDir(root, { '99990101000000_add_throwaway': ADD_THROWAWAY });
    applyMigrations(file, dir);
    const sqlFile = path.join(dir, '99990101000000_add_throwaway', 'migration.sql');

    fs.writeFileSync(sqlFile, ADD_THROWAWAY.replaceAll('\n', '\r\n'));
    expect(applyMigrations(file, dir).applied).toEqual([]);

    fs.writeFileSync(sqlFile, `${ADD_THROWAWAY}\n-- edited`);
    expect(errorCode(() => applyMigrations(file, dir))).toBe('edited_after_apply');
  });

  it('refuses to start when a failed migration is recorded', () => {
    const file = path.join(tempDir(), 'proofsheet.db');
    applyMigrations(file, repoMigrations);
    const db = open(file);
    db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('f1', 'abc', '99990101000000_broken', '2026-01-01T00:00:00.000+00:00')`,
    ).run();
    db.close();
    expect(errorCode(() => applyMigrations(file, repoMigrations))).toBe('failed_migration_recorded');
  });

  it('rolls back a failing migration completely and applies it once fixed', () => {
    const root = tempDir();
    const file = path.join(root, 'proofsheet.db');
    const dir = migrationsDir(root, {
      '99990101000000_broken': `CREATE TABLE "Temp" ("id" TEXT);\nINSERT INTO "Missing" VALUES (1);`,
    });
    expect(errorCode(() => applyMigrations(file, dir))).toBe('apply_failed');
    expect(tableNames(file)).not.toContain('Temp');
    const db = open(file);
    expect(db.prepare(`SELECT count(*) AS n FROM _prisma_migrations WHERE migration_name LIKE '%broken'`).get()).toEqual({ n: 0 });
    db.close();

    fs.writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), `CREATE TABLE "Temp" ("id" TEXT);`);
    expect(applyMigrations(file, dir).applied).toEqual(['99990101000000_broken']);
    expect(tableNames(file)).toContain('Temp');
  });

  it('rolls back a migration that leaves foreign key violations', () => {
    const root = tempDir();
    const file = path.join(root, 'proofsheet.db');
    const dir = migrationsDir(root, {
      '99990101000000_orphan': `INSERT INTO "Run" (id, sessionId, instruction, params, targets) VALUES ('r1', 'nope', 'x', '{}', '[]');`,
    });
    expect(errorCode(() => applyMigrations(file, dir))).toBe('apply_failed');
    const db = open(file);
    expect(db.prepare(`SELECT count(*) AS n FROM "Run"`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database that has tables but no migration history', () => {
    const file = path.join(tempDir(), 'proofsheet.db');
    const db = open(file);
    db.exec('CREATE TABLE "Foreign" (id INTEGER)');
    db.close();
    expect(errorCode(() => applyMigrations(file, repoMigrations))).toBe('database_not_empty');
  });

  it('refuses migrations written for another provider', () => {
    const root = tempDir();
    const dir = migrationsDir(root);
    fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    expect(errorCode(() => applyMigrations(path.join(root, 'proofsheet.db'), dir))).toBe('provider_mismatch');
  });

  it('applies each migration once when two processes start at the same time', async () => {
    const root = tempDir();
    const file = path.join(root, 'proofsheet.db');
    // A slow migration widens the window in which both processes are migrating.
    const dir = migrationsDir(root, {
      '99990101000000_slow': `CREATE TABLE "Filler" ("n" INTEGER);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000) INSERT INTO "Filler" SELECT n FROM c;`,
    });
    const code = `import(${JSON.stringify(path.join(here, 'migrate-core.ts'))}).then((m) => {
      const apply = m.applyMigrations ?? m.default.applyMigrations;
      process.stdout.write(JSON.stringify(apply(${JSON.stringify(file)}, ${JSON.stringify(dir)})));
    });`;
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: repoRoot });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (status) =>
          status === 0 ? resolve((JSON.parse(out) as { applied: string[] }).applied) : reject(new Error(err)),
        );
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect([...a, ...b].sort()).toEqual([...repoNames, '99990101000000_slow'].sort());
    const db = open(file);
    expect(db.prepare('SELECT count(*) AS n FROM _prisma_migrations').get()).toEqual({ n: repoNames.length + 1 });
    expect(db.prepare('SELECT count(*) AS n FROM "Filler"').get()).toEqual({ n: 300000 });
    db.close();
  });
});
