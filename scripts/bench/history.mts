/**
 * History at scale: seeds the large data set (scripts/seed) into the bench's temporary
 * DATA_DIR, then times the app's own queries for the session list and the first page of
 * the 1,000-variation session, and weighs what the page costs the browser: the JSON the
 * route returns plus the images it shows, fetched through serveAsset as the browser would;
 * the same for the lineage view's first page. These are the data functions alone: the pages
 * themselves, rendered by a production build, are weighed by history-pages.mts.
 */
import { gzipSync } from 'node:zlib';
import { median, report, time } from './report.mts';

const RUNS = 10;
const TARGET = { max: 150 };
const SHA_RE = /^[a-f0-9]{64}$/;

export type BlobReads = { original: number; preview: number; thumb: number };

/**
 * Counts blob reads (get and stream on the app's blob store) while `fn` runs, by rendition,
 * missing blobs included. A thumbnail missing from the store shows up here as a thumbnail
 * read followed by an original read.
 */
export async function countBlobReads<T>(fn: () => Promise<T>): Promise<[BlobReads, T]> {
  const { blobStore, parseBlobKey } = await import('@/lib/server/storage');
  const store = blobStore();
  const reads: BlobReads = { original: 0, preview: 0, thumb: 0 };
  const note = (key: string) => {
    const parsed = parseBlobKey(key);
    if (parsed) reads[parsed.kind]++;
  };
  const saved = { get: store.get, stream: store.stream };
  store.get = (key) => {
    note(key);
    return saved.get(key);
  };
  store.stream = (key) => {
    note(key);
    return saved.stream(key);
  };
  try {
    return [reads, await fn()];
  } finally {
    Object.assign(store, saved);
  }
}

/** Every image a result shows: each asset DTO carries its content digest as `sha256`. */
function imagesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) imagesIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'sha256' || k === 'thumbSha') && typeof v === 'string' && SHA_RE.test(v)) found.push(v);
      else imagesIn(v, found);
    }
  }
  return found;
}

async function measure<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const [, result] = await time(fn); // warm-up: statement cache, page cache
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push((await time(fn))[0]);
  report(`${label}, median of ${RUNS}`, median(ms), 'ms', TARGET);
  return result;
}

/** What the browser downloads for one page: the route's JSON, then one thumbnail per distinct image. */
async function weighPage(what: string, result: unknown): Promise<void> {
  const { serveAsset } = await import('@/lib/server/serve-asset');
  const { assetUrl } = await import('@/lib/schemas/run');
  const json = JSON.stringify(result);
  report(`  JSON, ${what} (${(gzipSync(json).length / 1024).toFixed(1)} KB gzipped)`, Buffer.byteLength(json) / 1024, 'KB');
  const tiles = imagesIn(result);
  const unique = [...new Set(tiles)];
  const bytesBySha = new Map<string, number>();
  const [reads] = await countBlobReads(async () => {
    for (const sha of unique) {
      // The URL the tiles use (components/studio: assetUrl(sha, 'thumb')), served by the real handler.
      const res = await serveAsset(new Request(`http://bench.local${assetUrl(sha, 'thumb')}`), sha, 'thumb');
      if (res.status !== 200) throw new Error(`thumbnail ${sha} answered ${res.status}`);
      bytesBySha.set(sha, (await res.arrayBuffer()).byteLength);
    }
  });
  if (tiles.length > 0) {
    const perTile = tiles.reduce((sum, sha) => sum + (bytesBySha.get(sha) ?? 0), 0);
    const fetched = [...bytesBySha.values()].reduce((a, b) => a + b, 0);
    report(`  thumbnails fetched: ${unique.length} files for ${tiles.length} tiles`, fetched / 1024, 'KB');
    // The seed reuses 24 images; real outputs all differ, so this is the honest page weight.
    report(`  thumbnails if all ${tiles.length} tiles were distinct images`, perTile / 1024, 'KB');
  } else console.log('  no images on this page');
  console.log(`  originals loaded: ${reads.original} · previews loaded: ${reads.preview} · thumbnails read: ${reads.thumb}`);
}

/** Returns the seed, so the pages section (history-pages.mts) can weigh the same data. */
export async function benchHistory(): Promise<{ dataDir: string; largeSessionId: string }> {
  const { seedLarge } = await import('../seed/index.mts');
  // The bench's DATA_DIR is a fresh temp folder; force only matters if it is reused.
  const seeded = await seedLarge({ force: true });
  const { variations, sessions: sessionCount, images } = seeded.counts;
  report(`seed:large: ${variations.toLocaleString('en')} variations, ${sessionCount} sessions, ${images} images`, seeded.ms.total, 'ms');
  const { ownerContext } = await import('@/lib/server/context');
  const { listSessions } = await import('@/lib/server/services/sessions');
  const { listRuns } = await import('@/lib/server/services/runs');
  const ctx = ownerContext();

  const [queryReads, sessions] = await countBlobReads(() => measure('session list p1 (listSessions)', () => listSessions(ctx, {})));
  await weighPage(`${sessions.sessions.length} sessions`, sessions);
  await measure('session list, search "marble"', () => listSessions(ctx, { q: 'marble' }));
  await measure('session list, filter provider=fal status=failed', () => listSessions(ctx, { provider: 'fal', status: 'failed' }));

  const [runReads, page] = await countBlobReads(() =>
    measure('large session p1, 1,000 variations (listRuns)', () => listRuns(ctx, { sessionId: seeded.largeSessionId })),
  );
  const shown = page.runs.reduce((n, r) => n + r.variations.length, 0);
  await weighPage(`${page.runs.length} runs / ${shown} variations`, page);
  const queryBlobReads =
    queryReads.original + queryReads.preview + queryReads.thumb + runReads.original + runReads.preview + runReads.thumb;
  console.log(`  blobs read by the queries themselves: ${queryBlobReads}`);

  // The lineage view's first page: the whole tree is cut from links only, one page is sent.
  const { getLineagePage } = await import('@/lib/server/services/lineage');
  const lineage = await measure('large session lineage, first page (getLineagePage)', () =>
    getLineagePage(ctx, { sessionId: seeded.largeSessionId }),
  );
  await weighPage(`${lineage!.nodes.length} of ${lineage!.totalRuns} runs`, lineage);
  return seeded;
}
