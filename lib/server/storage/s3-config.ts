import 'server-only';
import { env } from '../env';
import type { BlobStore } from './blob-store';

/** What identifies one configured bucket: the store is rebuilt when it changes. */
export function s3ConfigKey(): string {
  const e = env();
  return [
    's3',
    e.S3_ENDPOINT ?? '',
    e.S3_REGION ?? '',
    e.S3_BUCKET ?? '',
    e.S3_PREFIX,
    e.S3_FORCE_PATH_STYLE,
    e.S3_ACCESS_KEY_ID ?? '',
  ].join('|');
}

/**
 * The store BLOB_STORE=s3 selects, from S3_* (see .env.example). Refuses a half configuration
 * with the variable to set, never a value.
 *
 * The outbound guard (lib/server/net) does not apply here, on purpose: it stops requests to
 * addresses that users or vendors put in front of us (an output URL, a webhook target). The
 * S3 endpoint is the operator's own configuration, like DATABASE_URL, and is often exactly
 * what the guard refuses (MinIO on 127.0.0.1 or the LAN). The guard's fetch also reads whole
 * bodies under a size cap, where storage must stream. Nothing a request carries changes where
 * the S3 client connects: keys are blob keys, checked against their pattern in the store.
 */
export function createS3BlobStoreFromEnv(): BlobStore {
  const e = env();
  if (!e.S3_BUCKET) throw new Error('BLOB_STORE=s3 needs S3_BUCKET (see .env.example).');
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    throw new Error('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither to use the AWS SDK default credential chain.');
  }
  const bucket = e.S3_BUCKET;
  // The SDK loads on first use (about 0.4 s and 25 MB), so the default fs mode never pays for it.
  let loading: Promise<BlobStore> | undefined;
  const store = () => {
    loading ??= (async () => {
      const [{ S3Client }, { createS3BlobStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('./s3-blob-store')]);
      const client = new S3Client({
        // R2 takes `auto` (us-east-1 aliases to it); MinIO ignores the region but SigV4 needs one.
        region: e.S3_REGION ?? 'us-east-1',
        endpoint: e.S3_ENDPOINT,
        forcePathStyle: e.S3_FORCE_PATH_STYLE === '1',
        // A bucket in another region than S3_REGION: follow S3's redirect rather than fail.
        followRegionRedirects: true,
        credentials:
          e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
            ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
            : undefined,
        // Checksums only where the operation requires one: services other than AWS (R2, older
        // MinIO) reject the SDK's default CRC headers and aws-chunked trailers (Cloudflare's
        // guide, developers.cloudflare.com/r2/examples/aws/aws-sdk-js-v3/). Integrity is ours:
        // the store hashes every original against its sha256 key as it uploads.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        // A dead endpoint fails a request in seconds, not at the OS's TCP timeout.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      });
      return createS3BlobStore({ client, bucket, prefix: e.S3_PREFIX, presignTtlSeconds: e.S3_PRESIGN_TTL_SECONDS });
    })();
    return loading;
  };
  return {
    put: async (key, body) => (await store()).put(key, body),
    get: async (key) => (await store()).get(key),
    stream: async (key) => (await store()).stream(key),
    head: async (key) => (await store()).head(key),
    delete: async (key) => (await store()).delete(key),
    async *list() {
      yield* (await store()).list();
    },
    sweep: async (olderThan) => (await store()).sweep(olderThan),
    presignGet: async (key, options) => (await store()).presignGet!(key, options),
  };
}
