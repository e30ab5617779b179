import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey, sha256 } from './keys';
import { createS3BlobStore } from './s3-blob-store';

/**
 * Presigned URLs expire. moto (the CI server, S3_TEST_ENDPOINT) does not check a presigned
 * URL's date or lifetime, so this runs on s3rver, in process, which does ("Request has
 * expired", lib/middleware/authentication.js) and refuses an unknown access key. s3rver does
 * not verify SigV4 signatures themselves; AWS, MinIO and R2 do.
 */
let server: S3rver;
let client: S3Client;
let endpoint = '';
const bucket = 'presign-bucket';

beforeAll(async () => {
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(path.join(os.tmpdir(), 's3rver-')) });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    // s3rver's built-in account.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('presigned GETs', () => {
  it('open with plain fetch until their lifetime is over, then are refused', async () => {
    // Long enough that the first fetch is in time on a loaded machine (X-Amz-Date is to the second).
    const store = createS3BlobStore({ client, bucket, presignTtlSeconds: 4 });
    const bytes = Buffer.from('a reference a vendor fetches by URL');
    const key = blobKey(sha256(bytes));
    expect(await store.put(key, bytes)).toBe(true);
    const url = await store.presignGet!(key, { contentType: 'image/png' });

    const fresh = await fetch(url);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fresh.arrayBuffer())).toEqual(bytes);

    const signedAt = Date.parse(
      new URL(url).searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    await new Promise((r) => setTimeout(r, Math.max(0, signedAt + 4_000 + 1_200 - Date.now())));
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Request has expired');
  });

  it('are refused when signed with a key the server does not know', async () => {
    const stranger = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'NOT-A-KEY-OF-THIS-SERVER', secretAccessKey: 'whatever-secret' },
    });
    const store = createS3BlobStore({ client: stranger, bucket, presignTtlSeconds: 600 });
    const res = await fetch(await store.presignGet!(blobKey('d'.repeat(64))));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('InvalidAccessKeyId');
  });
});
