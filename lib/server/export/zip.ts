import 'server-only';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { type ExportCheck, exportManifestSchema, MANIFEST_VERSION, type ManifestItem } from '@/lib/schemas/export';
import { redact } from '../redact';
import { blobKey, blobStore, sha256 } from '../storage';
import { type ExportPlan, payloadFor } from './load';
import { embedProvenance } from './provenance';
import { pullStream } from './web-stream';

/**
 * The export as a zip streamed to the browser. yazl asks for each entry only when the zip
 * reaches it, and the response reads the zip only as the download drains (web-stream.ts), so
 * one image at a time is in memory: it is read whole from the blob store (embedding needs the
 * chunk layout, and the manifest needs the exported file's sha256), provenance is inserted,
 * and it is written. `manifest.json` comes last, built from the hashes of what was written.
 * Images are stored, not deflated (PNG/JPEG/WebP gain nothing); the manifest is deflated.
 */
export function exportZipResponse(plan: ExportPlan): Response {
  const zip = new ZipFile();
  const mtime = new Date();
  const items: ManifestItem[] = [];

  plan.entries.forEach((entry, i) => {
    zip.addReadStreamLazy(entry.fileName, { compress: false, mtime }, (cb) => {
      imageBytes(entry)
        .then(({ bytes, embedded }) => {
          items.push({
            position: i + 1,
            fileName: entry.fileName,
            fileSha256: sha256(bytes),
            originalSha256: entry.asset.sha256,
            mime: entry.asset.mime as ManifestItem['mime'],
            width: entry.asset.width,
            height: entry.asset.height,
            caption: entry.caption,
            provenanceEmbedded: embedded,
            variation: entry.variation,
            review: entry.review,
          });
          cb(null, Readable.from([bytes]));
        })
        .catch((e: Error) => cb(e, null as never));
    });
  });

  zip.addReadStreamLazy('manifest.json', { compress: true, mtime }, (cb) => {
    try {
      const manifest = exportManifestSchema.parse({
        version: MANIFEST_VERSION,
        generator: 'proofsheet',
        exportedAt: mtime.toISOString(),
        source: plan.source,
        items,
        comments: plan.comments,
      });
      cb(null, Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]));
    } catch (e) {
      cb(e as Error, null as never);
    }
  });
  zip.end();

  const output = zip.outputStream as Readable;
  // A failure half-way (a blob gone missing) can only cut the download short: the status is
  // sent. The browser sees a failed download; the server log says why.
  zip.on('error', (e: Error) => {
    console.error(`[export] ${plan.zipName}: ${redact(e.message)}`);
    output.destroy(e);
  });
  return new Response(pullStream(output), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': contentDisposition(plan.zipName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** What `?check=1` answers: the export would succeed, with this many images, under this name. */
export function exportCheck(plan: ExportPlan): ExportCheck {
  return { files: plan.entries.length, fileName: plan.zipName };
}

/** The stored original with provenance embedded (none for an uploaded image in a gallery). */
async function imageBytes(entry: ExportPlan['entries'][number]): Promise<{ bytes: Buffer; embedded: boolean }> {
  const blob = await blobStore().stream(blobKey(entry.asset.sha256));
  if (!blob) throw new Error(`An image of the export is missing from storage (${entry.fileName}).`);
  const parts: Buffer[] = [];
  for await (const chunk of Readable.fromWeb(blob.body as never)) parts.push(chunk as Buffer);
  const stored = Buffer.concat(parts, blob.size);
  if (!entry.variation) return { bytes: stored, embedded: false };
  try {
    return { bytes: embedProvenance(stored, payloadFor(entry.variation, entry.asset.sha256)), embedded: true };
  } catch (e) {
    // A provider's file whose container we cannot safely edit goes out as it is; the manifest says so.
    console.warn(`[export] ${entry.fileName}: provenance not embedded (${(e as Error).message})`);
    return { bytes: stored, embedded: false };
  }
}

/** ASCII only (the plan's names are slugs), quoted, with the RFC 6266 UTF-8 form beside it. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ascii)}`;
}
