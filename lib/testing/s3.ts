import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * The S3-compatible server tests run against: S3_TEST_ENDPOINT (.ci/run starts moto there;
 * a MinIO works too, with S3_TEST_ACCESS_KEY_ID / S3_TEST_SECRET_ACCESS_KEY). Unset on a
 * developer's machine, the S3 tests are skipped with a note; unset in CI, they fail: a
 * missing server must not pass as green.
 */
export type S3TestTarget = { endpoint: string; accessKeyId: string; secretAccessKey: string; region: string };

export function s3TestTarget(): S3TestTarget | null {
  const endpoint = process.env.S3_TEST_ENDPOINT?.trim();
  if (!endpoint) {
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error('S3_TEST_ENDPOINT is unset: CI must run the S3 tests against a server (.ci/run starts scripts/s3-test-server.sh).');
    }
    console.warn('[s3] S3_TEST_ENDPOINT is unset: skipping the S3 tests (bash scripts/s3-test-server.sh starts a server).');
    return null;
  }
  return {
    endpoint,
    accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID || 'PROOFSHEETTESTKEYID',
    secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY || 'proofsheet-test-secret-access-key',
    region: process.env.S3_TEST_REGION || 'us-east-1',
  };
}

export function s3TestClient(t: S3TestTarget): S3Client {
  return new S3Client({
    endpoint: t.endpoint,
    region: t.region,
    forcePathStyle: true,
    credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A new, empty bucket on the test server: each test file gets its own. */
export async function freshBucket(t: S3TestTarget): Promise<string> {
  const bucket = `proofsheet-test-${randomBytes(6).toString('hex')}`;
  const client = s3TestClient(t);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}

/** The environment that makes blobStore() the S3 store on a fresh bucket of the test server. */
export async function s3StoreEnv(t: S3TestTarget, prefix = ''): Promise<Record<string, string>> {
  return {
    BLOB_STORE: 's3',
    S3_ENDPOINT: t.endpoint,
    S3_REGION: t.region,
    S3_BUCKET: await freshBucket(t),
    S3_FORCE_PATH_STYLE: '1',
    S3_ACCESS_KEY_ID: t.accessKeyId,
    S3_SECRET_ACCESS_KEY: t.secretAccessKey,
    S3_PREFIX: prefix,
  };
}
