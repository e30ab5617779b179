import 'server-only';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sniffImage } from '../images/sniff';
import type { BlobBody, BlobEntry, BlobHead, BlobStore, BlobStream } from './blob-store';
import { parseBlobKey, type BlobKey } from './keys';

export type S3StoreOptions = {
  client: S3Client;
  bucket: string;
  /** Prepended to every key (`proofsheet/`); a missing trailing slash is added. */
  prefix?: string;
  /** Lifetime of a presigned GET, in seconds. */
  presignTtlSeconds?: number;
  /** Multipart part size; S3's minimum (5 MiB) by default, so an upload holds at most two parts in memory. */
  partSize?: number;
};

/**
 * `x-amz-meta-stored-at`: when the bytes were last stored, in milliseconds. LastModified has
 * one-second resolution, too coarse for the garbage collector's "stored again" check.
 */
const STORED_AT = 'stored-at';
const MIN_PART = 5 * 1024 * 1024;

/**
 * Blobs as objects in an S3-compatible bucket: `<prefix><key>`, renditions beside their
 * original (`<sha>.thumb.webp`). No fan-out: S3 partitions by key itself, and sha256 keys spread.
 *
 * Atomicity comes from S3, not from a temp key: an object becomes visible only when its
 * PutObject or CompleteMultipartUpload succeeds, whole. The body is hashed as it streams and a
 * mismatch fails the stream before the last part is sent, so the upload is aborted and nothing
 * appears under the key. `If-None-Match: *` on PutObject and CompleteMultipartUpload makes two
 * concurrent writers of the same key agree on one winner; the loser's 412 means "already stored"
 * (AWS: 412, or 409 ConditionalRequestConflict while another write is completing, per the
 * CompleteMultipartUpload API reference; R2 takes the same header on both,
 * developers.cloudflare.com/r2/api/s3/conditional-operations/; MinIO too).
 * A crash mid-upload leaves an incomplete multipart upload, invisible to readers, that `sweep`
 * aborts (a bucket lifecycle rule can too; see the README).
 */
export function createS3BlobStore(opts: S3StoreOptions): BlobStore {
  const { client, bucket: Bucket } = opts;
  const prefix = opts.prefix && !opts.prefix.endsWith('/') ? `${opts.prefix}/` : (opts.prefix ?? '');
  const ttl = opts.presignTtlSeconds ?? 3600;
  const partSize = Math.max(opts.partSize ?? MIN_PART, MIN_PART);

  const objectKey = (key: BlobKey): string => {
    // Checked here as well as in blobKey: nothing but a blob key reaches the bucket.
    if (!parseBlobKey(key)) throw new Error('Not a blob key.');
    return prefix + key;
  };
  /** The blob key an object key names, or null for anything else under the prefix. */
  const blobKeyOf = (objKey: string | undefined): BlobKey | null => {
    if (!objKey?.startsWith(prefix)) return null;
    const rest = objKey.slice(prefix.length);
    return parseBlobKey(rest) ? (rest as BlobKey) : null;
  };

  const headObject = async (Key: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket, Key }));
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  };

  /**
   * Stored again: a copy onto itself with fresh metadata restarts the garbage collector's grace
   * period (S3 has no "touch"). False when there is nothing to touch.
   */
  const touch = async (Key: string): Promise<boolean> => {
    const head = await headObject(Key);
    if (!head) return false;
    try {
      await client.send(
        new CopyObjectCommand({
          Bucket,
          Key,
          CopySource: `${Bucket}/${encodeURIComponent(Key)}`,
          MetadataDirective: 'REPLACE',
          ContentType: head.ContentType,
          Metadata: { [STORED_AT]: String(Date.now()) },
        }),
      );
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };

  return {
    async put(key, body) {
      const Key = objectKey(key);
      if (await touch(Key)) return false;
      const { sha, kind } = parseBlobKey(key)!;
      const { first, chunks } = await peek(body);
      const upload = new Upload({
        client,
        partSize,
        queueSize: 2,
        leavePartsOnError: false,
        params: {
          Bucket,
          Key,
          Body: Readable.from(hashed(chunks, kind === 'original' ? sha : undefined)),
          // The object's own type, for presigned GETs and anyone browsing the bucket.
          ContentType: kind === 'original' ? (first && sniffImage(magicBytes(first))) || 'application/octet-stream' : 'image/webp',
          Metadata: { [STORED_AT]: String(Date.now()) },
          // Also sent on CompleteMultipartUpload (lib-storage passes the params to both).
          IfNoneMatch: '*',
        },
      });
      try {
        await upload.done();
        return true;
      } catch (e) {
        // Another writer stored this key first: same key, same bytes (409 is AWS's "a
        // conditional write is in progress"; only counts as stored if it landed).
        if (isConditionLost(e) && (await headObject(Key))) return false;
        throw e;
      }
    },

    async get(key) {
      const object = await getObject(client, Bucket, objectKey(key));
      return object ? Buffer.from(await object.Body!.transformToByteArray()) : null;
    },

    async stream(key): Promise<BlobStream | null> {
      const object = await getObject(client, Bucket, objectKey(key));
      if (!object) return null;
      // Size from the same response, so it matches the bytes streamed.
      return { size: object.ContentLength ?? 0, body: object.Body!.transformToWebStream() as ReadableStream<Uint8Array> };
    },

    async head(key): Promise<BlobHead | null> {
      const head = await headObject(objectKey(key));
      if (!head) return null;
      const storedAt = Number(head.Metadata?.[STORED_AT]);
      return {
        size: head.ContentLength ?? 0,
        modifiedAt: Number.isFinite(storedAt) && storedAt > 0 ? new Date(storedAt) : head.LastModified!,
      };
    },

    async delete(key) {
      const Key = objectKey(key);
      // DeleteObject answers 204 whether or not the key existed: ask first.
      if (!(await headObject(Key))) return false;
      await client.send(new DeleteObjectCommand({ Bucket, Key }));
      return true;
    },

    async *list(): AsyncGenerator<BlobEntry> {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken }));
        for (const object of page.Contents ?? []) {
          const key = blobKeyOf(object.Key);
          // LastModified is a copy's or put's time, to the second: head() has the exact one.
          if (key) yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async sweep(olderThan) {
      let removed = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      do {
        const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix || undefined, KeyMarker, UploadIdMarker }));
        for (const upload of page.Uploads ?? []) {
          if (!blobKeyOf(upload.Key) || !upload.Initiated || upload.Initiated >= olderThan) continue;
          try {
            await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
            removed += 1;
          } catch (e) {
            // Completed or aborted meanwhile by its own writer.
            if (!isNotFound(e)) throw e;
          }
        }
        KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (KeyMarker);
      return removed;
    },

    async presignGet(key, options) {
      const command = new GetObjectCommand({ Bucket, Key: objectKey(key), ResponseContentType: options?.contentType });
      return getSignedUrl(client, command, { expiresIn: ttl });
    },
  };
}

async function getObject(client: S3Client, Bucket: string, Key: string) {
  try {
    return await client.send(new GetObjectCommand({ Bucket, Key }));
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

type Chunks = Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The first bytes of a chunk, as a view (no copy of a large body). */
function magicBytes(chunk: Uint8Array): Buffer {
  return Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 16));
}

/** The body's first chunk (to sniff the type from) and every chunk, that one included. */
async function peek(body: BlobBody): Promise<{ first: Uint8Array | undefined; chunks: Chunks }> {
  if (body instanceof Uint8Array) return { first: body, chunks: [body] };
  const iterator = body[Symbol.asyncIterator]();
  const head = await iterator.next();
  async function* chunks() {
    let done = head.done;
    try {
      if (done) return;
      yield head.value;
      for (;;) {
        const next = await iterator.next();
        done = next.done;
        if (done) return;
        yield next.value;
      }
    } finally {
      // Stopped early (the upload failed): let the source release what it holds.
      if (!done) await iterator.return?.();
    }
  }
  return { first: head.done ? undefined : head.value, chunks: chunks() };
}

/**
 * The body as Buffers, hashed on the way: with `expectSha`, a mismatch throws at the end of
 * the stream, before lib-storage sends the last part, so the upload is aborted, never completed.
 */
async function* hashed(chunks: Chunks, expectSha: string | undefined): AsyncGenerator<Buffer> {
  const hash = expectSha ? createHash('sha256') : undefined;
  for await (const chunk of chunks) {
    hash?.update(chunk);
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (hash && hash.digest('hex') !== expectSha) throw new Error('The bytes do not match their sha256 digest.');
}

type S3Error = { name?: string; $metadata?: { httpStatusCode?: number } };

/** No such object. A missing bucket is a configuration error, never "no such blob". */
function isNotFound(e: unknown): boolean {
  const err = e as S3Error;
  if (err?.name === 'NoSuchBucket') return false;
  return err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.name === 'NoSuchUpload' || err?.$metadata?.httpStatusCode === 404;
}

function isConditionLost(e: unknown): boolean {
  const status = (e as S3Error)?.$metadata?.httpStatusCode;
  return status === 412 || status === 409;
}
