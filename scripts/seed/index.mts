/**
 * `seedLarge()`: fills DATA_DIR (lib/server/env.ts) with the large realistic data set that
 * `npm run seed:large` and the history benchmark use. Images go through the app's upload
 * path; rows go in through better-sqlite3 in one transaction (see store.mts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CATALOG } from '@/lib/providers/catalog';
import { applyMigrations } from '@/lib/server/db/migrate-core';
import { LARGE_SESSION_TITLE } from './content.mts';
import { storeSeedImages } from './images.mts';
import { DEFAULT_SCALE, planSeed, type SeedScale } from './plan.mts';
import { createRng } from './rng.mts';
import { deleteSeed, existingSeedSessions, insertSeed, manifestPath, readManifest, type SeedManifest } from './store.mts';

export type SeedOptions = {
  /** Delete what an earlier seed made first, instead of refusing. */
  force?: boolean;
  scale?: SeedScale;
  /** PRNG seed: the same number gives the same data set (ids aside). */
  seed?: number;
  log?: (line: string) => void;
};

export type SeedResult = {
  dataDir: string;
  largeSessionId: string;
  counts: { sessions: number; runs: number; variations: number; references: number; trayItems: number; images: number };
  removed: { sessions: number; assets: number } | null;
  ms: { images: number; plan: number; insert: number; total: number };
};

/** Thrown when the data set is already there and `force` was not given. */
export class SeedExistsError extends Error {
  constructor(dataDir: string, sessions: number) {
    super(
      `“${LARGE_SESSION_TITLE}” already exists in ${dataDir} (${sessions} seeded session${sessions === 1 ? '' : 's'}). ` +
        'Nothing was changed. Run again with --force to delete the earlier seed and create it anew.',
    );
    this.name = 'SeedExistsError';
  }
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export async function seedLarge(options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  // The app's own view of DATA_DIR, so rows and blobs land where the app will look.
  const { dataDir } = await import('@/lib/server/env');
  const { sqliteFile } = await import('@/lib/server/db/client');
  const databaseFile = () => sqliteFile();
  const { BLOB_KINDS, blobKey, blobStore } = await import('@/lib/server/storage');
  const { newId } = await import('@/lib/server/ids');
  const dir = dataDir();
  applyMigrations(databaseFile(), MIGRATIONS_DIR);
  const raw = new Database(databaseFile(), { timeout: 15_000 });
  try {
    const previous = readManifest(dir);
    const existing = existingSeedSessions(raw, dir);
    let removed: SeedResult['removed'] = null;
    if (existing.length > 0) {
      if (!options.force) throw new SeedExistsError(dir, existing.length);
      const deleteBlobs = (sha: string) => Promise.all(BLOB_KINDS.map((kind) => blobStore().delete(blobKey(sha, kind))));
      removed = await deleteSeed(raw, existing, previous?.assetSha256s ?? [], deleteBlobs);
      log(`removed the earlier seed: ${removed.sessions} sessions, ${removed.assets} images`);
    }

    const t1 = performance.now();
    const images = await storeSeedImages();
    const t2 = performance.now();
    log(
      `images: ${images.references.length} references + ${images.outputs.length} outputs with thumbnails and previews (${Math.round(t2 - t1)} ms)`,
    );

    const rows = planSeed({
      rng: createRng(options.seed ?? 20261126),
      newId,
      now: Date.now(),
      catalog: CATALOG,
      referenceAssetIds: images.references.map((a) => a.id),
      outputAssetIds: images.outputs.map((a) => a.id),
      scale: options.scale ?? DEFAULT_SCALE,
    });
    const t3 = performance.now();

    // The manifest goes first: if the insert fails, it names sessions that do not exist,
    // which the next run skips; the other way round could leave rows nobody can --force.
    const all = [...images.references, ...images.outputs];
    const still = raw.prepare('SELECT 1 FROM Asset WHERE sha256 = ?');
    const assetSha256s = [
      ...new Set([...all.filter((a) => a.created).map((a) => a.sha256), ...(previous?.assetSha256s ?? []).filter((sha) => still.get(sha))]),
    ];
    const manifest: SeedManifest = {
      version: 1,
      seededAt: new Date().toISOString(),
      largeSessionId: rows.largeSessionId,
      sessionIds: rows.sessions.map((s) => s.id),
      assetSha256s,
    };
    fs.writeFileSync(manifestPath(dir), `${JSON.stringify(manifest, null, 1)}\n`);
    insertSeed(raw, rows);
    const t4 = performance.now();
    const counts = {
      sessions: rows.sessions.length,
      runs: rows.runs.length,
      variations: rows.variations.length,
      references: rows.references.length,
      trayItems: rows.tray.length,
      images: all.length,
    };
    log(
      `rows: ${counts.sessions} sessions, ${counts.runs} runs, ${counts.variations} variations, ${counts.references} references, ${counts.trayItems} tray items (plan ${Math.round(t3 - t2)} ms, insert ${Math.round(t4 - t3)} ms)`,
    );
    return {
      dataDir: dir,
      largeSessionId: rows.largeSessionId,
      counts,
      removed,
      ms: { images: t2 - t1, plan: t3 - t2, insert: t4 - t3, total: t4 - t0 },
    };
  } finally {
    raw.close();
  }
}
