/**
 * Copies every row of a Proofsheet SQLite database into a PostgreSQL database migrated with
 * prisma/postgres/migrations (created and migrated here when needed): moving an existing
 * studio to Postgres, and how the bench puts the large data set on Postgres.
 *
 *   node --import tsx scripts/db/copy-sqlite-to-postgres.mts <data/proofsheet.db> <postgresql://…>
 *
 * Generic over tables: whatever both databases have, column by column, so new tables need
 * nothing here. SQLite keeps DateTime as ISO text (or epoch ms) and Boolean as 0/1; the
 * Postgres column types say how to convert. Foreign keys are not checked during the copy
 * (session_replication_role = replica; needs a superuser or the table owner), so table order
 * does not matter; the source was consistent. Rows already there (the `local` workspace the
 * first migration creates) are kept. Blobs are not copied: point the new server at the same
 * DATA_DIR or bucket.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { applyPostgresMigrations } from '@/lib/server/db/postgres-migrate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BATCH = 500;

export type CopyResult = { tables: Record<string, number>; ms: number };

function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type.startsWith('timestamp')) return typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (type === 'boolean') return value === 1 || value === 1n || value === true || value === '1';
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export async function copySqliteToPostgres(sqliteFile: string, url: string): Promise<CopyResult> {
  const t0 = performance.now();
  await applyPostgresMigrations(url, path.join(ROOT, 'prisma', 'postgres', 'migrations'));
  const source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  const tables: Record<string, number> = {};
  try {
    const { rows: columns } = await target.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`,
    );
    const pgTables = new Map<string, Map<string, string>>();
    for (const c of columns) {
      if (!pgTables.has(c.table_name)) pgTables.set(c.table_name, new Map());
      pgTables.get(c.table_name)!.set(c.column_name, c.data_type);
    }
    await target.query('BEGIN');
    await target.query('SET LOCAL session_replication_role = replica');
    for (const [table, types] of pgTables) {
      const exists = source.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
      if (!exists) continue;
      const sourceColumns = (source.prepare(`PRAGMA table_info("${table.replaceAll('"', '""')}")`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      const shared = sourceColumns.filter((c) => types.has(c));
      const list = shared.map((c) => pg.escapeIdentifier(c)).join(', ');
      const read = source.prepare(`SELECT ${list} FROM "${table.replaceAll('"', '""')}"`).raw(true);
      let batch: unknown[][] = [];
      let count = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const params: unknown[] = [];
        const tuples = batch.map((row) => {
          const placeholders = row.map((v, k) => {
            params.push(convert(v, types.get(shared[k]!)!));
            return `$${params.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        const result = await target.query(
          `INSERT INTO ${pg.escapeIdentifier(table)} (${list}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
          params,
        );
        count += result.rowCount ?? 0;
        batch = [];
      };
      for (const row of read.iterate() as Iterable<unknown[]>) {
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      tables[table] = count;
    }
    await target.query('COMMIT');
    // Fresh planner statistics, as autovacuum would gather them later.
    await target.query('ANALYZE');
  } catch (e) {
    await target.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    source.close();
    await target.end();
  }
  return { tables, ms: performance.now() - t0 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, url] = process.argv.slice(2);
  if (!file || !url?.startsWith('postgres')) {
    console.error('usage: copy-sqlite-to-postgres.mts <sqlite file> <postgresql://…>');
    process.exit(2);
  }
  const result = await copySqliteToPostgres(file, url);
  for (const [table, n] of Object.entries(result.tables)) console.log(`${table.padEnd(20)} ${n}`);
  console.log(`copied in ${Math.round(result.ms)} ms`);
}
