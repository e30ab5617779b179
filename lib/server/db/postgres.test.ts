import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
// @ts-expect-error: a plain .mjs script without types
import { diffSql } from '@/scripts/db/postgres-schema.mjs';

/**
 * PostgreSQL only (vitest project `postgres`): the app really is on Postgres, the generated
 * migrations give exactly the generated schema, the start-up runner behaves like SQLite's, and
 * the claim keeps vendor limits with claims racing on many connections.
 */
useTempDataDir();
const { databaseConfig, db } = await import('./client');
const { applyPostgresMigrations } = await import('./postgres-migrate');
const { postgresMigrationsDir } = await import('./postgres');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { CLAIM_LOCK_SPACE, claim } = await import('../jobs/lease');
const { targetConcurrencyFor } = await import('../providers/registry');
const { OFFLINE_TARGET_ID } = await import('@/lib/providers/catalog');
const { newId } = await import('../ids');

const ROOT = path.resolve(import.meta.dirname, '../../..');
const server = () => inject('postgresTestServer');
const extra: string[] = [];

function urlFor(name: string): string {
  const url = new URL(server());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = server()): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A database of this test's own, dropped after the file. */
function scratch(): { name: string; url: string } {
  const name = `proofsheet_test_${Math.random().toString(36).slice(2, 10)}`;
  extra.push(name);
  return { name, url: urlFor(name) };
}

afterAll(async () => {
  for (const name of extra) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
});

/** Columns, indexes and constraints as the server describes them (the migrations table aside). */
async function structure(url: string) {
  return admin(async (c) => {
    const columns = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const indexes = await c.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    );
    const constraints = await c.query(
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') ORDER BY conname`,
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  }, url);
}

describe('on PostgreSQL', () => {
  it('the app runs on the configured Postgres database', async () => {
    expect(databaseConfig().kind).toBe('postgres');
    const [row] = await db().$queryRaw<{ version: string }[]>`SELECT version() AS version`;
    expect(row?.version).toMatch(/^PostgreSQL/);
    // The migration's own data came along: the local workspace.
    expect(await db().workspace.findUnique({ where: { id: 'local' } })).toMatchObject({ name: 'Local studio' });
  });

  it('the migrations give exactly the schema generated from prisma/schema.prisma', async () => {
    await db().workspace.count(); // migrated on first use
    const fromSchema = scratch();
    await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(fromSchema.name)}`));
    const sql: string = await diffSql(null, fs.readFileSync(path.join(ROOT, 'prisma', 'postgres', 'schema.prisma'), 'utf8'));
    await admin((c) => c.query(sql), fromSchema.url);
    const migrated = await structure(process.env.DATABASE_URL as string);
    expect(migrated.columns.length).toBeGreaterThan(100);
    expect(migrated).toEqual(await structure(fromSchema.url));
  });

  it('`prisma migrate status|deploy --config prisma.postgres.config.ts` (through the shim) read our migrations table as their own', async () => {
    await db().workspace.count();
    const prisma = (args: string[]) =>
      spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/prisma/build/index.js'), ...args, '--config', 'prisma.postgres.config.ts'],
        {
          cwd: ROOT,
          env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '', CHECKPOINT_DISABLE: '1' },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
    const status = prisma(['migrate', 'status']);
    expect(`${status.stdout}${status.stderr}`).toContain('Database schema is up to date!');
    const deploy = prisma(['migrate', 'deploy']);
    expect(`${deploy.stdout}${deploy.stderr}`).toContain('No pending migrations to apply.');
    expect(deploy.status).toBe(0);
  });

  it('migrates a missing database once, refuses an edited migration, and lets concurrent starters take turns', async () => {
    const target = scratch();
    const dir = postgresMigrationsDir();
    const runs = await Promise.all([applyPostgresMigrations(target.url, dir), applyPostgresMigrations(target.url, dir)]);
    expect(runs.map((r) => r.applied.length).sort()).toEqual([0, fs.readdirSync(dir).filter((n) => !n.endsWith('.toml')).length]);
    expect((await applyPostgresMigrations(target.url, dir)).applied).toEqual([]);
    const rows = await admin(
      (c) => c.query(`SELECT migration_name, finished_at, applied_steps_count FROM "_prisma_migrations"`),
      target.url,
    );
    expect(rows.rows.every((r) => r.finished_at instanceof Date && r.applied_steps_count === 1)).toBe(true);

    const edited = fs.mkdtempSync(path.join(os.tmpdir(), 'proofsheet-pgmig-'));
    fs.cpSync(dir, edited, { recursive: true });
    const first = fs.readdirSync(edited).find((n) => !n.endsWith('.toml')) as string;
    fs.appendFileSync(path.join(edited, first, 'migration.sql'), '\n-- edited\n');
    await expect(applyPostgresMigrations(target.url, edited)).rejects.toMatchObject({ code: 'edited_after_apply' });

    const broken = path.join(edited, '99990101000000_broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'migration.sql'), 'CREATE TABLE "Half" ("id" TEXT);\nSELECT nonsense FROM nowhere;\n');
    fs.writeFileSync(path.join(edited, first, 'migration.sql'), fs.readFileSync(path.join(dir, first, 'migration.sql')));
    await expect(applyPostgresMigrations(target.url, edited)).rejects.toMatchObject({ code: 'apply_failed' });
    // Rolled back whole: no half table, no row.
    const left = await admin(
      (c) =>
        c.query(
          `SELECT to_regclass('"Half"') AS t, (SELECT count(*) FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken') AS n`,
        ),
      target.url,
    );
    expect(left.rows[0]).toEqual({ t: null, n: '0' });
  });

  it('never lets racing claims take more slots than the target allows', async () => {
    const sessionId = await createSession(ownerContext(), {});
    const runId = newId();
    await db().run.create({ data: { id: runId, sessionId, number: 1, instruction: 'x', params: '{}', targets: '[]' } });
    const ids = Array.from({ length: 24 }, () => newId());
    await db().variation.createMany({
      data: ids.map((id, index) => ({ id, runId, targetId: OFFLINE_TARGET_ID, provider: 'offline', model: 'offline', index, seed: index })),
    });
    const tokens = await Promise.all(ids.map((id, i) => claim(id, 'offline', `racer-${i % 3}`)));
    const won = tokens.filter(Boolean).length;
    expect(won).toBe(targetConcurrencyFor('offline'));
    expect(await db().variation.count({ where: { runId, status: 'submitting' } })).toBe(won);
  });

  it('a claim waits for another process claiming the same provider, then counts its slot', async () => {
    const sessionId = await createSession(ownerContext(), {});
    const runId = newId();
    await db().run.create({ data: { id: runId, sessionId, number: 1, instruction: 'x', params: '{}', targets: '[]' } });
    const limit = targetConcurrencyFor('offline');
    const ids = Array.from({ length: limit + 1 }, () => newId());
    await db().variation.createMany({
      data: ids.map((id, index) => ({ id, runId, targetId: OFFLINE_TARGET_ID, provider: 'offline', model: 'offline', index, seed: index })),
    });
    // Free every slot the racing test left taken, then take all but one.
    await db().variation.updateMany({ where: { runId: { not: runId }, status: 'submitting' }, data: { status: 'cancelled' } });
    for (const id of ids.slice(0, limit - 1)) expect(await claim(id, 'offline')).toBeTruthy();
    // "Another server" takes the last slot in a transaction it has not committed yet.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CLAIM_LOCK_SPACE, 'offline']);
      await other.query(
        `UPDATE "Variation" SET "status" = 'submitting', "leaseToken" = 'other', "leaseUntil" = now() + interval '1 minute' WHERE "id" = $1`,
        [ids[limit - 1]],
      );
      let settled = false;
      const ours = claim(ids[limit] as string, 'offline').finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 400));
      expect(settled, 'the claim must wait for the other claim of the same provider').toBe(false);
      await other.query('COMMIT');
      expect(await ours).toBeNull();
    } finally {
      await other.end();
    }
    expect(await db().variation.count({ where: { runId, status: 'submitting' } })).toBe(limit);
  });
});
