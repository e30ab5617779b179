import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { dataStatements, migrationName, plan, postgresSchema } from '@/scripts/db/postgres-schema.mjs';

/**
 * The drift check: prisma/postgres/ (schema and migrations) is generated from
 * prisma/schema.prisma and its SQLite migrations by scripts/db/postgres-schema.mjs. Regenerated
 * in memory here, it must equal what is committed; otherwise run `npm run db:postgres`.
 * (That applying the Postgres migrations gives exactly this schema is checked on a real server
 * in postgres.test.ts.)
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('PostgreSQL schema and migrations', () => {
  it('are in step with prisma/schema.prisma and every SQLite migration', async () => {
    const result = await plan(ROOT);
    expect(result.migration?.name ?? null, 'a Postgres migration is missing: run `npm run db:postgres`').toBeNull();
    expect(result.schemaUpToDate, 'prisma/postgres/schema.prisma is stale: run `npm run db:postgres`').toBe(true);
  });

  it('notices a new SQLite migration and a schema change, and writes the DDL and data for them', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proofsheet-pgschema-'));
    fs.cpSync(path.join(ROOT, 'prisma'), path.join(root, 'prisma'), { recursive: true });
    const schemaFile = path.join(root, 'prisma', 'schema.prisma');
    fs.writeFileSync(
      schemaFile,
      `${fs.readFileSync(schemaFile, 'utf8')}\nmodel Probe {\n  id   String  @id\n  flag Boolean @default(false)\n}\n`,
    );
    const name = '99990101000000_probe';
    fs.mkdirSync(path.join(root, 'prisma', 'migrations', name));
    fs.writeFileSync(
      path.join(root, 'prisma', 'migrations', name, 'migration.sql'),
      `-- CreateTable\nCREATE TABLE "Probe" ("id" TEXT NOT NULL PRIMARY KEY, "flag" BOOLEAN NOT NULL DEFAULT false);\nINSERT INTO "Probe" ("id") VALUES ('x');\n`,
    );
    const result = await plan(root);
    expect(result.schemaUpToDate).toBe(false);
    expect(result.migration.name).toBe(name);
    expect(result.migration.sql).toContain(`mirrors SQLite migration(s) ${name}.`);
    expect(result.migration.sql).toMatch(/CREATE TABLE "Probe" \(\s*"id" TEXT NOT NULL,\s*"flag" BOOLEAN NOT NULL DEFAULT false,/);
    expect(result.migration.sql).toContain(`INSERT INTO "Probe" ("id") VALUES ('x');`);
    // Only the new table: the existing ones are already in the committed Postgres schema.
    expect(result.migration.sql).not.toContain('CREATE TABLE "Run"');
  });

  it('keeps data statements and drops the table copies of SQLite table rebuilds', () => {
    const sql = `PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_Run" ("id" TEXT);\nINSERT INTO "new_Run" ("id") SELECT "id" FROM "Run";\nDROP TABLE "Run";\n-- Backfill\nUPDATE "Run" SET "number" = 1;\nINSERT INTO "Workspace" ("id", "name") VALUES ('local', 'Local studio');\n`;
    expect(dataStatements(sql)).toEqual([
      `UPDATE "Run" SET "number" = 1;`,
      `INSERT INTO "Workspace" ("id", "name") VALUES ('local', 'Local studio');`,
    ]);
  });

  it('names a Postgres migration after its SQLite one, unless that would sort before one already there', () => {
    expect(migrationName('20261203000000_b', ['20261202000000_a'])).toBe('20261203000000_b');
    const late = migrationName('20261201000000_old', ['20261202000000_a']);
    expect(late).toMatch(/^\d{14,}_old$/);
    expect(late > '20261202000000_a').toBe(true);
  });

  it('refuses what it cannot translate instead of drifting', () => {
    const schema = fs.readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
    expect(postgresSchema(schema)).toContain('provider = "postgresql"');
    expect(() => postgresSchema(schema.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/no `provider = "sqlite"`/);
    expect(() => postgresSchema(schema.replace('  name      String\n', '  name      String @db.Text\n'))).toThrow(/@db\.Text/);
  });
});
