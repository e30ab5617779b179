import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { CATALOG } from '@/lib/providers/catalog';
import { runParamsSchema } from '@/lib/schemas/run';
import { PROVIDER_ERROR_CODES } from '@/lib/schemas/errors';
import { LARGE_SESSION_TITLE } from './content.mts';
import { DEFAULT_SCALE, planSeed, type SeedScale } from './plan.mts';
import { createRng } from './rng.mts';
import type { SeedRows } from './rows.mts';

const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const DATE_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

function plan(seed = 7): SeedRows {
  let n = 0;
  return planSeed({
    rng: createRng(seed),
    newId: () => `id${(n++).toString(36).padStart(6, '0')}`,
    now: NOW,
    catalog: CATALOG,
    referenceAssetIds: Array.from({ length: 12 }, (_, i) => `ref${i}`),
    outputAssetIds: Array.from({ length: 12 }, (_, i) => `out${i}`),
  });
}

describe('planSeed', () => {
  const rows = plan();
  const runById = new Map(rows.runs.map((r) => [r.id, r]));
  const variationById = new Map(rows.variations.map((v) => [v.id, v]));

  it('makes a large session of exactly 1,000 live variations, and ~10,000 in ~120 sessions', () => {
    const large = rows.sessions.find((s) => s.id === rows.largeSessionId)!;
    expect(large.title).toBe(LARGE_SESSION_TITLE);
    const liveRuns = rows.runs.filter((r) => r.sessionId === large.id && r.deletedAt === null);
    expect(liveRuns).toHaveLength(DEFAULT_SCALE.large.runs);
    expect(rows.runs.filter((r) => r.sessionId === large.id && r.deletedAt !== null)).toHaveLength(DEFAULT_SCALE.large.deletedRuns);
    const live = new Set(liveRuns.map((r) => r.id));
    expect(rows.variations.filter((v) => live.has(v.runId) && v.deletedAt === null)).toHaveLength(1000);
    expect(rows.sessions).toHaveLength(120);
    expect(rows.variations.length).toBeGreaterThan(9000);
    expect(rows.variations.length).toBeLessThan(11000);
  });

  it('numbers runs 1..n per session in creation order, never in the future', () => {
    const bySession = new Map<string, typeof rows.runs>();
    for (const r of rows.runs) bySession.set(r.sessionId, [...(bySession.get(r.sessionId) ?? []), r]);
    for (const runs of bySession.values()) {
      expect(runs.map((r) => r.number)).toEqual(runs.map((_, i) => i + 1));
      const times = runs.map((r) => Date.parse(r.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    for (const date of [
      ...rows.runs.map((r) => r.createdAt),
      ...rows.variations.flatMap((v) => [v.queuedAt, v.startedAt, v.finishedAt]),
      ...rows.sessions.map((s) => s.updatedAt),
    ]) {
      expect(date).toMatch(DATE_RE);
      expect(Date.parse(date!)).toBeLessThanOrEqual(NOW + 10 * 60_000);
    }
  });

  it('forks a finished output of an earlier run in the same session and uses it as Image 1', () => {
    const forks = rows.runs.filter((r) => r.parentVariationId);
    expect(forks.length).toBeGreaterThan(50);
    for (const run of forks) {
      const parent = variationById.get(run.parentVariationId!)!;
      expect(parent.status).toBe('succeeded');
      expect(runById.get(parent.runId)!.sessionId).toBe(run.sessionId);
      expect(Date.parse(parent.finishedAt!)).toBeLessThanOrEqual(Date.parse(run.createdAt));
      expect(rows.references.find((ref) => ref.runId === run.id && ref.position === 0)!.assetId).toBe(parent.outputAssetId);
    }
  });

  it('writes what the app reads: valid params, catalog targets, outputs exactly on successes', () => {
    for (const run of rows.runs) {
      expect(runParamsSchema.safeParse(JSON.parse(run.params)).success).toBe(true);
      for (const id of JSON.parse(run.targets) as string[]) expect(CATALOG.some((t) => t.id === id)).toBe(true);
    }
    for (const v of rows.variations) {
      const target = CATALOG.find((t) => t.id === v.targetId)!;
      expect([v.provider, v.model]).toEqual([target.provider, target.model]);
      expect(v.outputAssetId !== null).toBe(v.status === 'succeeded');
      if (v.status === 'failed') expect(PROVIDER_ERROR_CODES).toContain(v.errorCode);
    }
    const share = (s: string) => rows.variations.filter((v) => v.status === s).length / rows.variations.length;
    expect(share('succeeded')).toBeGreaterThan(0.85);
    expect(share('failed')).toBeGreaterThan(0.02);
    expect(share('cancelled')).toBeGreaterThan(0.003);
  });

  it('is reproducible from its PRNG seed', () => {
    const shape = (r: SeedRows) => r.variations.map((v) => `${v.targetId}/${v.status}/${v.seed}`);
    expect(shape(plan(7))).toEqual(shape(rows));
    expect(shape(plan(8))).not.toEqual(shape(rows));
  });
});

describe('seedLarge', () => {
  const dir = useTempDataDir();
  const small: SeedScale = { sessions: 6, otherVariations: 60, large: { runs: 10, targets: 2, count: 2, deletedRuns: 2 } };

  it('seeds rows the app reads, refuses a second time, and --force replaces only its own rows', async () => {
    const { seedLarge, SeedExistsError } = await import('./index.mts');
    const { ownerContext } = await import('@/lib/server/context');
    const { listRuns } = await import('@/lib/server/services/runs');
    const { BLOB_KINDS, blobKey, blobStore } = await import('@/lib/server/storage');
    const first = await seedLarge({ scale: small });
    // Every seeded run in one page (the feed's own page is smaller; this checks the rows, not paging).
    const page = await listRuns(ownerContext(), { sessionId: first.largeSessionId }, 50);
    expect(page.runs).toHaveLength(10);
    expect(page.nextCursor).toBeNull();
    expect(page.runs.map((r) => r.number)).toEqual([...page.runs.map((r) => r.number)].sort((a, b) => b - a));
    expect(page.runs.flatMap((r) => r.variations)).toHaveLength(40);

    const raw = new Database(`${dir}/proofsheet.db`);
    const assets = raw.prepare('SELECT sha256 FROM Asset').all() as { sha256: string }[];
    expect(assets).toHaveLength(24);
    for (const { sha256 } of assets) for (const kind of BLOB_KINDS) expect(await blobStore().head(blobKey(sha256, kind))).not.toBeNull();

    await expect(seedLarge({ scale: small })).rejects.toBeInstanceOf(SeedExistsError);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM Session').get()).toEqual({ n: 6 });

    raw.prepare(`INSERT INTO Session (id, title, updatedAt) VALUES ('mine', 'Mine', '2026-11-01T00:00:00.000+00:00')`).run();
    const second = await seedLarge({ scale: small, force: true });
    expect(second.removed).toEqual({ sessions: 6, assets: 24 });
    expect(second.largeSessionId).not.toBe(first.largeSessionId);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM Session').get()).toEqual({ n: 7 });
    expect(raw.prepare(`SELECT title FROM Session WHERE id = 'mine'`).get()).toEqual({ title: 'Mine' });
    expect(raw.pragma('foreign_key_check')).toEqual([]);

    // The benchmark's proof that a page needs no original: a missing thumbnail is rendered from one.
    const { countBlobReads } = await import('../bench/history.mts');
    const { serveAsset } = await import('@/lib/server/serve-asset');
    const [one, two] = assets.map((a) => a.sha256);
    await blobStore().delete(blobKey(two!, 'thumb'));
    const [reads] = await countBlobReads(async () => {
      for (const sha of [one!, two!])
        expect((await serveAsset(new Request(`http://x/api/assets/${sha}/thumb`), sha, 'thumb')).status).toBe(200);
    });
    expect(reads).toEqual({ original: 1, preview: 0, thumb: 2 });
    raw.close();
  }, 120_000);
});
