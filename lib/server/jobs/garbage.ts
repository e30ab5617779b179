import 'server-only';
import { db } from '../db/client';
import { decode } from '../db/decoders';
import { env } from '../env';
import { BLOB_KINDS, blobKey, blobStore, parseBlobKey, type BlobEntry } from '../storage';

const HOUR = 3_600_000;
const BATCH = 500;

export type GarbageReport = { assets: number; blobs: number };

/**
 * How old an unreferenced image must be before it is collected. An upload sits unreferenced
 * until the draft is saved or the run submitted, and an adapted input handed to a vendor has
 * no row at all while its signed (or presigned) URL is valid: both must outlive that window.
 */
function gcGraceMs(): number {
  // A presigned S3 URL (BLOB_STORE=s3) is handed out in place of the signed one: outlive either.
  const urlTtlSeconds = Math.max(env().INPUT_URL_TTL_SECONDS, env().S3_PRESIGN_TTL_SECONDS);
  return Math.max(24 * HOUR, urlTtlSeconds * 1000 + HOUR);
}

/**
 * The periodic pass: Asset rows nothing points to that were stored (or stored again) before
 * the grace period, with their blobs; then blobs on disk with no Asset row, past the same
 * grace (a crash between blob and row, an adapted input, a purge cut short).
 */
export async function collectGarbage(now = new Date(), graceMs = gcGraceMs()): Promise<GarbageReport> {
  const cutoff = new Date(now.getTime() - graceMs);
  const report: GarbageReport = { assets: 0, blobs: 0 };
  // Keyset pages (`id > last`): rows deleted in this pass must not end the walk.
  for (let last = ''; ; ) {
    const page = await db().asset.findMany({
      where: { id: { gt: last }, createdAt: { lt: cutoff }, references: { none: {} }, outputs: { none: {} } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (page.length === 0) break;
    last = page.at(-1)!.id;
    add(
      report,
      await releaseAssets(
        page.map((a) => a.id),
        { storedBefore: cutoff },
      ),
    );
  }
  let batch: BlobEntry[] = [];
  for await (const entry of blobStore().list()) {
    if (entry.modifiedAt >= cutoff) continue;
    batch.push(entry);
    if (batch.length >= BATCH) {
      report.blobs += await deleteOrphanBlobs(batch, cutoff);
      batch = [];
    }
  }
  report.blobs += await deleteOrphanBlobs(batch, cutoff);
  return report;
}

/**
 * Deletes the Asset rows among `ids` that nothing points to any more (a run's reference, a
 * variation's output, a tray item, a saved draft), then their blobs, so their /api/assets
 * URLs answer 404. With `storedBefore`, rows or blobs stored since then are kept (an upload
 * in progress); without it (a purge just removed what pointed to them) they go now.
 */
export async function releaseAssets(ids: string[], options: { storedBefore?: Date } = {}): Promise<GarbageReport> {
  const report: GarbageReport = { assets: 0, blobs: 0 };
  const startedAt = new Date();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += BATCH) {
    const chunk = unique.slice(i, i + BATCH);
    const kept = await referencedAssetIds(chunk);
    let rows = await db().asset.findMany({
      where: { id: { in: chunk.filter((id) => !kept.has(id)) }, ...(options.storedBefore && { createdAt: { lt: options.storedBefore } }) },
      select: { id: true, sha256: true },
    });
    const before = options.storedBefore;
    if (before) rows = await filterAsync(rows, async (row) => !(await storedSince(row.sha256, before)));
    if (rows.length === 0) continue;
    // The foreign keys are checked again by the DELETE itself: a run submitted meanwhile keeps its image.
    const { count } = await db().asset.deleteMany({
      where: { id: { in: rows.map((r) => r.id) }, references: { none: {} }, outputs: { none: {} } },
    });
    report.assets += count;
    const survivors = await db().asset.findMany({ where: { sha256: { in: rows.map((r) => r.sha256) } }, select: { sha256: true } });
    const alive = new Set(survivors.map((r) => r.sha256));
    for (const row of rows) if (!alive.has(row.sha256)) report.blobs += await deleteBlobs(row.sha256, startedAt);
  }
  return report;
}

/** Of `ids`, those a run, a variation, the tray, a gallery, a saved draft or a batch still points to. */
async function referencedAssetIds(ids: string[]): Promise<Set<string>> {
  const [refs, outputs, tray, drafts, batchItems, batches, galleryItems] = await Promise.all([
    db().runReference.findMany({ where: { assetId: { in: ids } }, select: { assetId: true }, distinct: ['assetId'] }),
    db().variation.findMany({ where: { outputAssetId: { in: ids } }, select: { outputAssetId: true }, distinct: ['outputAssetId'] }),
    db().trayItem.findMany({ where: { assetId: { in: ids } }, select: { assetId: true } }),
    // One draft per session, small JSON: read whole rather than kept in a column of its own.
    db().draft.findMany({ select: { data: true } }),
    // A batch's images wait, unreferenced by any run, until their item is submitted (a paused
    // batch can wait for days); its shared references are a JSON list on the batch.
    db().batchItem.findMany({ where: { referenceAssetId: { in: ids } }, select: { referenceAssetId: true } }),
    db().batch.findMany({ where: { sharedReferenceIds: { not: '[]' } }, select: { sharedReferenceIds: true } }),
    db().galleryItem.findMany({ where: { assetId: { in: ids } }, select: { assetId: true } }),
  ]);
  const kept = new Set<string>([...refs.map((r) => r.assetId), ...tray.map((t) => t.assetId)]);
  for (const o of outputs) if (o.outputAssetId) kept.add(o.outputAssetId);
  for (const d of drafts) for (const ref of decode.draft(d.data).references) kept.add(ref.id);
  for (const b of batchItems) kept.add(b.referenceAssetId);
  for (const g of galleryItems) kept.add(g.assetId);
  for (const b of batches) for (const id of sharedIds(b.sharedReferenceIds)) kept.add(id);
  return kept;
}

/** Blobs with no Asset row for their digest, untouched since `cutoff`. */
async function deleteOrphanBlobs(entries: BlobEntry[], cutoff: Date): Promise<number> {
  if (entries.length === 0) return 0;
  const shas = [...new Set(entries.map((e) => parseBlobKey(e.key)!.sha))];
  const rows = await db().asset.findMany({ where: { sha256: { in: shas } }, select: { sha256: true } });
  const known = new Set(rows.map((r) => r.sha256));
  let removed = 0;
  for (const entry of entries) {
    if (known.has(parseBlobKey(entry.key)!.sha)) continue;
    // Looked at again just before: a put in the meantime (an upload of the same bytes) refreshed it.
    const head = await blobStore().head(entry.key);
    if (head && head.modifiedAt < cutoff && (await blobStore().delete(entry.key))) removed += 1;
  }
  return removed;
}

/** The original and its renditions, unless one was stored again since `since`. */
async function deleteBlobs(sha: string, since: Date): Promise<number> {
  const store = blobStore();
  if (await storedSince(sha, since)) return 0;
  let removed = 0;
  for (const kind of BLOB_KINDS) if (await store.delete(blobKey(sha, kind))) removed += 1;
  return removed;
}

async function storedSince(sha: string, since: Date): Promise<boolean> {
  const head = await blobStore().head(blobKey(sha));
  return head !== null && head.modifiedAt.getTime() >= since.getTime();
}

async function filterAsync<T>(items: T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const flags = await Promise.all(items.map(keep));
  return items.filter((_, i) => flags[i]);
}

function add(into: GarbageReport, more: GarbageReport): void {
  into.assets += more.assets;
  into.blobs += more.blobs;
}

function sharedIds(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
