import 'server-only';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { blobKey, blobStore } from '../storage';
import { getBatchView, manifestCsv, manifestRows } from './view';

/**
 * The batch as a zip, streamed: each output is read from the blob store only when the zip
 * reaches it, so hundreds of images never sit in memory together. Outputs are stored, not
 * deflated (PNG/JPEG gain nothing); the manifests say which input each output came from.
 */
export async function batchZipResponse(ctx: Ctx, batchId: string): Promise<Response> {
  const view = await getBatchView(ctx, batchId);
  const shas = view.items.flatMap((i) => i.variations.flatMap((v) => (v.outputSha ? [v.outputSha] : [])));
  const mimes = new Map(
    (await db().asset.findMany({ where: { sha256: { in: shas } }, select: { sha256: true, mime: true } })).map((a) => [a.sha256, a.mime]),
  );
  const extOf = (sha: string) => (mimes.get(sha) === 'image/jpeg' ? 'jpg' : mimes.get(sha) === 'image/webp' ? 'webp' : 'png');
  const rows = manifestRows(view.items, extOf);

  const zip = new ZipFile();
  let n = 0;
  // manifestRows walks items and variations in this same order: one row each (one per empty item).
  let k = 0;
  for (const item of view.items) {
    if (item.variations.length === 0) k++;
    for (const v of item.variations) {
      const name = rows[k++]?.outputFile;
      if (!v.outputSha || !name) continue;
      const sha = v.outputSha;
      zip.addReadStreamLazy(name, { compress: false, mtime: new Date() }, (cb) => {
        blobStore()
          .stream(blobKey(sha))
          .then((s) =>
            s ? cb(null, Readable.fromWeb(s.body as never)) : cb(new Error('An output is missing from the store.'), null as never),
          )
          .catch((e: Error) => cb(e, null as never));
      });
      n++;
    }
  }
  zip.addBuffer(Buffer.from(manifestCsv(rows)), 'manifest.csv');
  zip.addBuffer(
    Buffer.from(JSON.stringify({ batchId: view.id, instruction: view.instruction, outputs: n, rows }, null, 2)),
    'manifest.json',
  );
  zip.end();
  const body = Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="batch-${view.id}.zip"`,
      'cache-control': 'no-store',
    },
  });
}
