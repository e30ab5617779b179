import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { resetEnvCache } from '@/lib/server/env';
import { s3TestTarget } from './s3';

/**
 * setupFiles of the `s3` vitest project: before a test file loads, blobStore() becomes the S3
 * store on the project's bucket (lib/testing/s3-setup.ts), under a prefix of the file's own,
 * so the same tests run on S3 as on the filesystem.
 */
const target = s3TestTarget();
if (!target) throw new Error('The s3 test project needs S3_TEST_ENDPOINT.');
Object.assign(process.env, {
  BLOB_STORE: 's3',
  S3_ENDPOINT: target.endpoint,
  S3_REGION: target.region,
  S3_BUCKET: inject('s3TestBucket'),
  S3_PREFIX: `file-${randomBytes(6).toString('hex')}`,
  S3_FORCE_PATH_STYLE: '1',
  S3_ACCESS_KEY_ID: target.accessKeyId,
  S3_SECRET_ACCESS_KEY: target.secretAccessKey,
});
resetEnvCache();
