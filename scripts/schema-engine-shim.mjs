#!/usr/bin/env node
/**
 * Drop-in stand-in for Prisma's native `schema-engine` binary, backed by the WebAssembly
 * schema engine and the better-sqlite3 driver adapter; for a postgresql:// datasource
 * (prisma.postgres.config.ts) the pg adapter, so `prisma migrate deploy|status --config
 * prisma.postgres.config.ts` work offline too (the quirks below are SQLite's).
 *
 * Why: the Prisma 7 CLI downloads the native engine from binaries.prisma.sh before
 * generate/migrate/db commands, and that host is unreachable here (and behind many
 * firewalls). Setting PRISMA_SCHEMA_ENGINE_BINARY to this file skips the download, and the
 * CLI then talks to us exactly as it would to the binary (see the project's offline-toolchain
 * notes, section 2, and the Prisma config, which sets the variable).
 *
 * Protocol, as spawned by the CLI's SchemaEngineCLI
 * (https://github.com/prisma/prisma/blob/main/packages/migrate/src/SchemaEngineCLI.ts):
 *   schema-engine [--datamodels <file>]... [--datasource <json>] [--enabled-preview-features a,b]
 *     -> JSON-RPC 2.0, one message per line on stdin/stdout. Method names and params are the
 *        engine's (applyMigrations, createMigration, devDiagnostic, diff, ...). Errors carry
 *        `data: { is_panic, message, error_code, meta }`. The engine may send the CLI a
 *        `print` request (used by `migrate diff`), which the CLI acknowledges.
 *     Log lines go to stderr as JSON ({ level, target, fields: { message } }).
 *   schema-engine --datasource <json> cli can-connect-to-database|create-database|drop-database
 *     -> exit 0 on success; on failure an ERROR log line from target `schema_engine::logger`
 *        with fields.error_code/message on stderr, exit 1.
 *   schema-engine --version
 *
 * Workarounds for the wasm engine + adapter (found while testing, see the notes above):
 *   1. A fresh database has no `_prisma_migrations` and some wasm paths fail with P1014
 *      instead of creating it: we create it with Prisma's own DDL and retry once.
 *   2. The shadow-database replay sends multi-statement SQL through `executeRaw`, which
 *      better-sqlite3 rejects ("more than one statement"): we fall back to `executeScript`.
 *   3. wasm `reset` on SQLite only DELETEs rows: we then drop every table, view and trigger.
 *   4. wasm `diff` returns `stdout` instead of sending a `print` request: we send it.
 *   5. When `migrate dev` has just applied pending migrations to a fresh database,
 *      `evaluateDataLoss`/`createMigration` fail with "SQLite shadow DB must be provided
 *      through an external factory": unlike `devDiagnostic`/`diff`, they are not handed the
 *      adapter's shadow database. They succeed once `devDiagnostic` has replayed the same
 *      history in the session (it appears to cache the result), so we run it (its answer is
 *      discarded) and retry once. Observed with engine d1b3f377 and 59be4fd.
 *   Connections are disposed on exit, otherwise a zeroed `-journal` file is left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const SHIM_VERSION = '1.0.0';
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

// ---------------------------------------------------------------------------- arguments

function parseArgs(argv) {
  const out = { datamodels: [], datasource: null, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-V') out.version = true;
    else if (a === '--datamodels' || a === '-d') out.datamodels.push(argv[++i]);
    else if (a === '--datasource') out.datasource = JSON.parse(argv[++i] ?? 'null');
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
    else if (a === 'cli') {
      out.cli = argv[i + 1] ?? '';
      break;
    }
  }
  return out;
}

/** `file:./dev.db?x=y` -> absolute path, relative to our cwd (the CLI sets it to its base dir). */
const isPostgres = (url) => typeof url === 'string' && /^postgres(ql)?:\/\//.test(url);

function sqlitePath(url) {
  if (!url || isPostgres(url)) return null;
  if (!url.startsWith('file:')) {
    throw new ShimError(`The schema-engine shim supports SQLite (file:) URLs only, got "${url.split(':')[0]}:".`, 'P1013');
  }
  const p = url.replace(/^file:(\/\/)?/, '').replace(/\?.*$/, '');
  return p === ':memory:' ? p : path.resolve(process.cwd(), decodeURIComponent(p));
}

class ShimError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------- logging

function log(level, message, extra = {}) {
  const line = { timestamp: new Date().toISOString(), level, target: 'schema_engine::logger', fields: { message, ...extra } };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

function engineLog(entry) {
  // The wasm engine hands us its tracing output; the CLI only reads stderr lines as JSON.
  const text = typeof entry === 'string' ? entry : JSON.stringify(entry);
  try {
    JSON.parse(text);
    process.stderr.write(`${text}\n`);
  } catch {
    log('DEBUG', text);
  }
}

// ---------------------------------------------------------------------------- `cli` subcommands

function removeDbFiles(file) {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

/**
 * PostgreSQL (prisma.postgres.config.ts): the same subcommands through `pg`. Error codes as
 * the native engine reports them: P1001 unreachable, P1003 no such database.
 */
async function runPgCliSubcommand(name, url) {
  const pg = require('pg');
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const run = async (connectionString, sql) => {
    const client = new pg.Client({ connectionString });
    try {
      await client.connect();
      if (sql) await client.query(sql);
    } catch (e) {
      if (e?.code === '3D000') throw new ShimError(`Database \`${database}\` does not exist on the database server.`, 'P1003');
      if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND')
        throw new ShimError(`Can't reach database server at \`${target.host}\`.`, 'P1001');
      throw e;
    } finally {
      await client.end().catch(() => {});
    }
  };
  switch (name) {
    case 'can-connect-to-database':
      return run(url);
    case 'create-database':
      await run(admin.toString(), `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      process.stdout.write(`Database '${database}' was successfully created.\n`);
      return;
    case 'drop-database':
      await run(admin.toString(), `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
      process.stdout.write(`The database '${database}' was successfully dropped.\n`);
      return;
    default:
      throw new ShimError(`Unknown cli subcommand: ${name}`);
  }
}

async function runCliSubcommand(name, datasource) {
  // The CLI skips the first stderr line before parsing the rest as JSON log lines.
  log('INFO', `schema-engine-shim ${SHIM_VERSION}: cli ${name}`);
  if (isPostgres(datasource?.url)) return runPgCliSubcommand(name, datasource.url);
  const file = sqlitePath(datasource?.url);
  if (!file || file === ':memory:') throw new ShimError('A file: datasource URL is required.', 'P1013');
  switch (name) {
    case 'can-connect-to-database': {
      if (!fs.existsSync(file)) {
        throw new ShimError(`Database \`${path.basename(file)}\` does not exist at \`${file}\`.`, 'P1003');
      }
      new Database(file, { fileMustExist: true }).close();
      return;
    }
    case 'create-database': {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      new Database(file).close();
      process.stdout.write(`Database '${path.basename(file)}' was successfully created.\n`);
      return;
    }
    case 'drop-database':
      removeDbFiles(file);
      process.stdout.write(`The database at '${file}' was successfully dropped.\n`);
      return;
    default:
      throw new ShimError(`Unknown cli subcommand: ${name}`);
  }
}

// ---------------------------------------------------------------------------- engine

function wasmPath() {
  // Prefer the engine build shipped with the installed CLI: its commit matches
  // @prisma/engines-version, so the SQL it renders is what the native binary would render.
  // The glue of @prisma/schema-engine-wasm loads it (same wasm-bindgen imports, checked).
  const candidates = [
    process.env.SCHEMA_ENGINE_SHIM_WASM,
    path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'schema_engine_bg.wasm'),
    path.join(path.dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))), 'schema_engine_bg.wasm'),
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new ShimError('No schema_engine_bg.wasm found (install prisma and @prisma/schema-engine-wasm).');
}

async function loadWasm() {
  // Node 20 cannot `import` a .wasm file, so instantiate it with the JS glue as import object.
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath()), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
}

const openAdapters = new Set();

/** Adds the multi-statement fallback (quirk 2) and tracks connections for disposal. */
function patchAdapter(adapter) {
  openAdapters.add(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (e) {
      if (e instanceof RangeError && /more than one statement/.test(e.message) && query.args.length === 0) {
        log('INFO', 'shim: multi-statement executeRaw rerun with executeScript');
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw e;
    }
  };
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    if (openAdapters.delete(adapter)) await dispose();
  };
  return adapter;
}

function disposeAll() {
  for (const adapter of [...openAdapters]) {
    try {
      adapter.dispose(); // better-sqlite3 closes synchronously
    } catch {
      /* already closed */
    }
  }
}

/** The engine's own connection to the main database (see makeFactory). */
let mainAdapter = null;

function makeFactory(mainFile, shadowFile, datasource) {
  const raw = isPostgres(datasource?.url)
    ? new PrismaPg(
        { connectionString: datasource.url },
        datasource.shadowDatabaseUrl ? { shadowDatabaseUrl: datasource.shadowDatabaseUrl } : undefined,
      )
    : new PrismaBetterSqlite3({ url: mainFile ?? ':memory:' }, { shadowDatabaseUrl: shadowFile ?? ':memory:' });
  const wrapped = {
    provider: raw.provider,
    adapterName: raw.adapterName,
    connect: async () => (mainAdapter = patchAdapter(await raw.connect())),
    connectToShadowDb: async () => patchAdapter(await raw.connectToShadowDb()),
  };
  return bindMigrationAwareSqlAdapterFactory(wrapped);
}

// The helpers below go through the engine's connection, never a second one: during
// migrate commands the engine holds `PRAGMA locking_mode=EXCLUSIVE`, so another connection
// would wait for the busy timeout and fail with SQLITE_BUSY.

async function queryRows(adapter, sql) {
  const rs = await adapter.queryRaw({ sql, args: [], argTypes: [] });
  return rs.rows.map((row) => Object.fromEntries(rs.columnNames.map((name, i) => [name, row[i]])));
}

async function ensureMigrationsTable() {
  if (!mainAdapter) return false;
  const rows = await queryRows(mainAdapter, `SELECT name FROM sqlite_master WHERE type='table' AND name='_prisma_migrations'`);
  if (rows.length > 0) return false;
  await mainAdapter.executeScript(MIGRATIONS_TABLE_DDL);
  return true;
}

/** Drops what wasm `reset` leaves behind (quirk 3), keeping externally managed tables. */
async function dropEverything(externalTables = []) {
  if (!mainAdapter) return;
  const order = { trigger: 0, view: 1, table: 2 };
  const objects = (
    await queryRows(
      mainAdapter,
      `SELECT type, name FROM sqlite_master WHERE type IN ('view','trigger','table') AND name NOT LIKE 'sqlite_%'`,
    )
  )
    .filter((o) => !(o.type === 'table' && externalTables.includes(o.name)))
    .sort((a, b) => order[a.type] - order[b.type]);
  if (objects.length === 0) return;
  const [{ foreign_keys: fk } = { foreign_keys: 1 }] = await queryRows(mainAdapter, 'PRAGMA foreign_keys');
  const drops = objects.map((o) => `DROP ${o.type.toUpperCase()} IF EXISTS "${String(o.name).replaceAll('"', '""')}";`);
  await mainAdapter.executeScript(
    ['PRAGMA foreign_keys = OFF;', ...drops, `PRAGMA foreign_keys = ${Number(fk) ? 'ON' : 'OFF'};`].join('\n'),
  );
  await mainAdapter.executeScript('VACUUM').catch(() => {}); // cosmetic: shrink the file
}

// ---------------------------------------------------------------------------- JSON-RPC server

function send(message) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
}

let printId = 1_000_000;
function requestPrint(content) {
  // Same request the native engine sends; the CLI writes `content` to its stdout and acks.
  send({ id: printId++, method: 'print', params: { content } });
}

function toRpcError(e, registry) {
  const panic = e instanceof WebAssembly.RuntimeError || /panicked|unreachable/i.test(String(e?.message));
  let message = e?.message ?? String(e);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const meta = e?.meta ?? null;
  // Adapter failures surface as "external error <id>"; the registry holds the real one.
  const id = meta && typeof meta === 'object' && typeof meta.id === 'number' ? meta.id : undefined;
  if (id !== undefined && typeof registry?.consumeError === 'function') {
    const original = registry.consumeError(id)?.error;
    if (original) message = `${message}\n${original.originalMessage ?? original.message ?? JSON.stringify(original)}`;
  }
  return {
    code: 4466,
    message: 'An error happened. Check the data field for details.',
    data: panic
      ? { is_panic: true, message, error: { message }, backtrace: e?.stack ?? null }
      : { is_panic: false, message, meta, error_code: code ?? null },
  };
}

async function serve(args) {
  await loadWasm();
  const mainFile = sqlitePath(args.datasource?.url);
  const shadowFile = sqlitePath(args.datasource?.shadowDatabaseUrl);
  const factory = makeFactory(mainFile, shadowFile, args.datasource);
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]);
  const engine = await glue.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, engineLog, factory);

  const handlers = {
    getDatabaseVersion: (p) => engine.version(p ?? null),
    version: (p) => engine.version(p ?? null),
    createDatabase: async () => {
      await runCliSubcommand('create-database', args.datasource);
      return {
        databaseName: isPostgres(args.datasource?.url) ? new URL(args.datasource.url).pathname.slice(1) : path.basename(mainFile ?? ''),
      };
    },
    diff: async (p) => {
      const { stdout, ...rest } = await engine.diff(p);
      if (stdout) requestPrint(stdout); // quirk 4
      return rest;
    },
    reset: async (p) => {
      await engine.reset(p);
      await dropEverything(p?.filter?.externalTables); // quirk 3
      return null;
    },
    debugPanic: () => engine.debugPanic(),
  };
  const noFilters = { externalTables: [], externalEnums: [] };
  const needsMigrationsTable = new Set([
    'applyMigrations',
    'createMigration',
    'devDiagnostic',
    'diagnoseMigrationHistory',
    'evaluateDataLoss',
    'markMigrationApplied',
    'markMigrationRolledBack',
  ]);

  async function call(method, params) {
    if (handlers[method]) return handlers[method](params);
    if (typeof engine[method] !== 'function') throw new ShimError(`Unknown method: ${method}`);
    try {
      return await engine[method](params);
    } catch (e) {
      // quirk 1: retry once after creating the table Prisma expected to find
      // (P1014 is also what a migration touching a missing table of its own reports.)
      if (e?.code === 'P1014' && /_prisma_migrations/.test(e.message) && needsMigrationsTable.has(method)) {
        if (await ensureMigrationsTable().catch(() => false)) {
          log('INFO', `shim: created _prisma_migrations after P1014 in ${method}, retrying`);
          return engine[method](params);
        }
      }
      // quirk 5: see the header
      if (/shadow DB must be provided through an external factory/.test(e?.message) && params?.migrationsList) {
        log('INFO', `shim: ${method} needs the migration history replayed first; running devDiagnostic`);
        await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters ?? noFilters });
        return engine[method](params);
      }
      throw e;
    }
  }

  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (!msg.method) return; // an ack of our own `print` request
    // One engine call at a time, in arrival order, like the native server.
    queue = queue.then(async () => {
      try {
        const result = await call(msg.method, msg.params);
        if (msg.id !== undefined) send({ id: msg.id, result: result ?? null });
      } catch (e) {
        log('ERROR', String(e?.message ?? e), e?.code ? { error_code: e.code } : {});
        if (msg.id !== undefined) send({ id: msg.id, error: toRpcError(e, factory.errorRegistry) });
      }
    });
  });
  rl.on('close', () => {
    queue.finally(() => shutdown(0));
  });
}

function shutdown(code) {
  disposeAll();
  process.exit(code);
}

// ---------------------------------------------------------------------------- main

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(130));

const args = parseArgs(process.argv.slice(2));
try {
  if (args.version) {
    await loadWasm();
    process.stdout.write(`schema-engine-cli ${glue.version()} (schema-engine-shim wasm ${SHIM_VERSION})\n`);
  } else if (args.cli !== null) {
    await runCliSubcommand(args.cli, args.datasource);
  } else {
    await serve(args);
  }
} catch (e) {
  process.stderr.write(
    `${JSON.stringify({
      timestamp: new Date().toISOString(),
      level: 'ERROR',
      target: 'schema_engine::logger',
      fields: { message: String(e?.message ?? e), ...(e?.code ? { error_code: e.code } : {}) },
    })}\n`,
  );
  disposeAll();
  process.exit(1);
}
