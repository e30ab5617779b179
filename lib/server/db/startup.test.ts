import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/server/env';
import { useTempDataDir } from '@/lib/testing/temp-data';

/**
 * Hardening Q2, Q3 and the faults "start from another working directory" and "an edited
 * migration": paths come from the app's folder, migrations run once at start (the
 * instrumentation hook), and a migration that cannot be applied stops the process with one
 * message instead of failing every request.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const MIGRATIONS = path.join(ROOT, 'prisma', 'migrations');
const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `proofsheet-${name}-`));

useTempDataDir();
const { db, prepareDatabase, sqliteFile } = await import('./client');
const { migrationsDir } = await import('./sqlite');
const { MigrationError } = await import('./migrate-core');
const { findAppRoot } = await import('../app-root');

const saved = { ...process.env };
const cwd = process.cwd();
afterEach(() => {
  process.chdir(cwd);
  for (const key of ['DATA_DIR', 'PROOFSHEET_ROOT', 'DATABASE_URL']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});

/** An app folder of its own: package.json, and the real migrations plus `extra`. */
function fakeApp(extra: Record<string, string> = {}): string {
  const dir = tmp('app');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'proofsheet' }));
  cpSync(MIGRATIONS, path.join(dir, 'prisma', 'migrations'), { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, 'prisma', 'migrations', name));
    writeFileSync(path.join(dir, 'prisma', 'migrations', name, 'migration.sql'), sql);
  }
  return dir;
}

/** Starts the server's instrumentation hook in a fresh process, from `cwd`, as `next start` would. */
function startServer(cwd: string, env: Record<string, string>) {
  const script = `
    process.env.NEXT_RUNTIME = 'nodejs';
    // tsx loads these TypeScript files as CommonJS (no "type": "module"): exports sit on default.
    const load = async (file) => { const m = await import(file); return m.default ?? m; };
    const { register } = await load(${JSON.stringify(pathToFileURL(path.join(ROOT, 'instrumentation.ts')).href)});
    await register();
    const { databaseConfig } = await load(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib/server/db/client.ts')).href)});
    console.log('serving ' + databaseConfig().file);`;
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const { DATA_DIR: _, PROOFSHEET_ROOT: __, ...inherited } = process.env;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--conditions=react-server', '--import', tsx, '--input-type=module', '-e', script], {
    cwd,
    env: { ...inherited, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), WORKER_ENABLED: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...child, ms: Date.now() - started };
}

describe('Q3: paths come from the app folder, not the working directory', () => {
  it('resolves a relative DATA_DIR, DATABASE_URL and the migrations the same from any directory', () => {
    const elsewhere = tmp('cwd');
    process.env.DATA_DIR = './data';
    resetEnvCache();
    const fromRoot = { db: sqliteFile(), migrations: migrationsDir() };
    process.chdir(elsewhere);
    resetEnvCache();
    expect({ db: sqliteFile(), migrations: migrationsDir() }).toEqual(fromRoot);
    expect(fromRoot).toEqual({ db: path.join(ROOT, 'data', 'proofsheet.db'), migrations: MIGRATIONS });
    process.env.DATABASE_URL = 'file:./data/other.db';
    resetEnvCache();
    expect(sqliteFile()).toBe(path.join(ROOT, 'data', 'other.db'));
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('finds the app folder from where `next start` runs it, skipping bundler placeholders and .next/package.json', () => {
    const app = fakeApp();
    mkdirSync(path.join(app, '.next', 'server', 'chunks'), { recursive: true });
    writeFileSync(path.join(app, '.next', 'package.json'), JSON.stringify({ type: 'commonjs' }));
    const next = path.join(app, 'node_modules', 'next', 'dist', 'bin');
    mkdirSync(next, { recursive: true });
    writeFileSync(path.join(app, 'node_modules', 'next', 'package.json'), JSON.stringify({ name: 'next' }));
    // Inside a Turbopack bundle the module's own path is a placeholder; argv[1] is the next binary.
    expect(findAppRoot(undefined, ['/ROOT/lib/server', path.join(next, 'next'), os.tmpdir()])).toBe(app);
    expect(findAppRoot(undefined, [path.join(app, '.next', 'server', 'chunks')])).toBe(app);
  });

  it('refuses clearly when it cannot tell where the app is, naming PROOFSHEET_ROOT', () => {
    expect(() => findAppRoot(undefined, ['/ROOT/lib/server', os.tmpdir()])).toThrow(/Set PROOFSHEET_ROOT/);
    expect(() => findAppRoot(tmp('nothing'))).toThrow(/PROOFSHEET_ROOT \(.*\) is not the Proofsheet folder/);
  });

  it('a server started from another directory opens the database in the app folder', () => {
    const app = fakeApp();
    const elsewhere = tmp('cwd');
    const run = startServer(elsewhere, { PROOFSHEET_ROOT: app, DATA_DIR: './data' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`serving ${path.join(app, 'data', 'proofsheet.db')}`);
    expect(existsSync(path.join(app, 'data', 'proofsheet.db'))).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a server pointed at a folder that is not the app refuses to start and creates no database', () => {
    const elsewhere = tmp('cwd');
    const run = startServer(elsewhere, { PROOFSHEET_ROOT: elsewhere, DATA_DIR: './data' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Proofsheet did not start: PROOFSHEET_ROOT \(.*\) is not the Proofsheet folder/);
    expect(run.stdout).not.toContain('serving');
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('Q2: migrations run once at start and fail fast', () => {
  const BROKEN = '20991231000000_broken';
  // Applies cleanly up to its second statement: the whole migration must roll back.
  const brokenSql = 'CREATE TABLE "Scratch" ("id" TEXT PRIMARY KEY);\nCREATE TABLE "Session" ("id" TEXT);\n';

  it('a broken migration stops the server before it serves, with one message naming it and why', () => {
    const app = fakeApp({ [BROKEN]: brokenSql });
    const data = tmp('data');
    const run = startServer(tmp('cwd'), { PROOFSHEET_ROOT: app, DATA_DIR: data });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('serving');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Proofsheet did not start: Migration 20991231000000_broken failed and was rolled back');
    expect(lines[0]).toContain('table "Session" already exists');
    expect(lines[0]).toContain(path.join(data, 'proofsheet.db'));
    const file = new Database(path.join(data, 'proofsheet.db'), { readonly: true });
    const names = file.prepare('SELECT migration_name FROM _prisma_migrations').all() as { migration_name: string }[];
    const scratch = file.prepare(`SELECT name FROM sqlite_master WHERE name = 'Scratch'`).get();
    file.close();
    expect(names.map((n) => n.migration_name)).not.toContain(BROKEN);
    expect(scratch).toBeUndefined();
  });

  it('an applied migration edited afterwards is refused at the next start', () => {
    const app = fakeApp();
    const data = tmp('data');
    expect(startServer(tmp('cwd'), { PROOFSHEET_ROOT: app, DATA_DIR: data }).status).toBe(0);
    const first = readdirSync(path.join(app, 'prisma', 'migrations')).filter((n) => n !== 'migration_lock.toml')[0]!;
    const sql = path.join(app, 'prisma', 'migrations', first, 'migration.sql');
    writeFileSync(sql, `${readFileSync(sql, 'utf8')}\n-- edited\n`);
    const run = startServer(tmp('cwd'), { PROOFSHEET_ROOT: app, DATA_DIR: data });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Migration ${first} was modified after it was applied`);
  });

  it('is not retried by every query: the first failure is remembered until a restart', () => {
    const app = fakeApp({ [BROKEN]: brokenSql });
    process.env.PROOFSHEET_ROOT = app;
    process.env.DATA_DIR = tmp('data');
    resetEnvCache();
    let first: unknown;
    try {
      prepareDatabase();
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(MigrationError);
    expect(first).toMatchObject({ code: 'apply_failed', migration: BROKEN });
    // Even once the file is fixed, this process keeps reporting the same failure.
    writeFileSync(path.join(app, 'prisma', 'migrations', BROKEN, 'migration.sql'), 'SELECT 1;\n');
    expect(() => db()).toThrow(first as Error);
    expect(() => prepareDatabase()).toThrow(first as Error);
  });
});
