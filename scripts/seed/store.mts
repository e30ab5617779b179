/**
 * Writes and removes the large data set with better-sqlite3 prepared statements, each in
 * one IMMEDIATE transaction: 15,000 rows go in in well under a second, and a failure
 * leaves the database as it was. What a seed made is listed in a manifest beside the
 * database, so `--force` deletes exactly that and nothing the user made.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { LARGE_SESSION_TITLE } from './content.mts';
import type { SeedRows } from './rows.mts';

export type SeedManifest = { version: 1; seededAt: string; largeSessionId: string; sessionIds: string[]; assetSha256s: string[] };

export function manifestPath(dataDir: string): string {
  return path.join(dataDir, 'seed-large.json');
}

export function readManifest(dataDir: string): SeedManifest | null {
  try {
    return JSON.parse(fs.readFileSync(manifestPath(dataDir), 'utf8')) as SeedManifest;
  } catch {
    return null;
  }
}

/** Ids of the sessions a previous seed made that are still in the database. */
export function existingSeedSessions(raw: Database.Database, dataDir: string): string[] {
  const ids = new Set(readManifest(dataDir)?.sessionIds ?? []);
  // Also by title: a manifest deleted by hand must not let a second copy in.
  for (const row of raw.prepare('SELECT id FROM Session WHERE title = ?').all(LARGE_SESSION_TITLE) as { id: string }[]) ids.add(row.id);
  const has = raw.prepare('SELECT 1 FROM Session WHERE id = ?');
  return [...ids].filter((id) => has.get(id) !== undefined);
}

/**
 * Deletes the given sessions and everything under them (runs, references, variations, tray
 * entries), then the seed's images nothing else points at, rows and blobs (`deleteBlobs`
 * removes one image's original and renditions from the app's blob store).
 * Returns how many sessions and assets went.
 */
export async function deleteSeed(
  raw: Database.Database,
  sessionIds: string[],
  assetSha256s: string[],
  deleteBlobs: (sha: string) => Promise<unknown>,
): Promise<{ sessions: number; assets: number }> {
  const runsOf = 'SELECT id FROM Run WHERE sessionId = ?';
  const variationsOf = `SELECT id FROM Variation WHERE runId IN (${runsOf})`;
  const steps = [
    raw.prepare(`DELETE FROM TrayItem WHERE variationId IN (${variationsOf})`),
    // Forks made elsewhere from a seeded variation lose their parent link, as ON DELETE SET NULL would do.
    raw.prepare(`UPDATE Run SET parentVariationId = NULL WHERE parentVariationId IN (${variationsOf})`),
    raw.prepare(`DELETE FROM RunReference WHERE runId IN (${runsOf})`),
    raw.prepare(`DELETE FROM Variation WHERE runId IN (${runsOf})`),
    raw.prepare('DELETE FROM Run WHERE sessionId = ?'),
    raw.prepare('DELETE FROM Session WHERE id = ?'),
  ];
  const unused = raw.prepare(
    `SELECT id FROM Asset WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM RunReference WHERE assetId = Asset.id)
       AND NOT EXISTS (SELECT 1 FROM Variation WHERE outputAssetId = Asset.id) AND NOT EXISTS (SELECT 1 FROM TrayItem WHERE assetId = Asset.id)`,
  );
  const deleteAsset = raw.prepare('DELETE FROM Asset WHERE id = ?');
  const goneShas: string[] = [];
  raw
    .transaction(() => {
      for (const id of sessionIds) for (const step of steps) step.run(id);
      for (const sha of assetSha256s) {
        const row = unused.get(sha) as { id: string } | undefined;
        if (!row) continue;
        deleteAsset.run(row.id);
        goneShas.push(sha);
      }
    })
    .immediate();
  // Blobs after the commit: a crash in between leaves orphan blobs, never rows without blobs.
  for (const sha of goneShas) await deleteBlobs(sha);
  return { sessions: sessionIds.length, assets: goneShas.length };
}

/** A prepared INSERT for rows shaped like `sample` (column names = its keys). */
function inserter<T extends object>(raw: Database.Database, table: string, sample: T): (row: T) => void {
  const cols = Object.keys(sample);
  const stmt = raw.prepare(
    `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
  );
  return (row) => void stmt.run(row);
}

function insertAll<T extends object>(raw: Database.Database, table: string, rows: T[]): void {
  const first = rows[0];
  if (!first) return;
  const insert = inserter(raw, table, first);
  for (const row of rows) insert(row);
}

/** Inserts every row in one transaction, parents before children, with foreign keys checked. */
export function insertSeed(raw: Database.Database, rows: SeedRows): void {
  raw.pragma('foreign_keys = ON');
  raw
    .transaction(() => {
      insertAll(raw, 'Session', rows.sessions);
      const [firstRun, firstVariation] = [rows.runs[0], rows.variations[0]];
      if (firstRun && firstVariation) {
        const insertRun = inserter(raw, 'Run', firstRun);
        const insertVariation = inserter(raw, 'Variation', firstVariation);
        // Runs and variations interleave: a fork's parent variation must exist before its run.
        const byRun = new Map<string, SeedRows['variations']>();
        for (const v of rows.variations) byRun.set(v.runId, [...(byRun.get(v.runId) ?? []), v]);
        for (const run of rows.runs) {
          insertRun(run);
          for (const v of byRun.get(run.id) ?? []) insertVariation(v);
        }
      }
      insertAll(raw, 'RunReference', rows.references);
      insertAll(raw, 'TrayItem', rows.tray);
    })
    .immediate();
}
