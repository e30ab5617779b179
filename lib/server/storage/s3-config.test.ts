import { afterEach, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

/** BLOB_STORE=s3 from the environment; nothing here talks to a server (presigning is local). */
const S3_VARS = [
  'BLOB_STORE',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_PREFIX',
  'S3_PRESIGN_TTL_SECONDS',
];
const { resetEnvCache, env } = await import('../env');
const { blobStore, blobKey, checkBlobStoreOrExit } = await import('./index');
const { redact } = await import('../redact');

function configure(vars: Record<string, string>) {
  for (const name of S3_VARS) delete process.env[name];
  useTempDataDir({ BLOB_STORE: 's3', ...vars });
}

afterEach(() => {
  for (const name of S3_VARS) delete process.env[name];
  resetEnvCache();
});

const KEY_ID = 'AKIAPROOFSHEETEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/proofsheetEXAMPLEKEY';

describe('BLOB_STORE=s3', () => {
  it('refuses to start without a bucket, naming the variable', () => {
    configure({});
    expect(() => blobStore()).toThrow('BLOB_STORE=s3 needs S3_BUCKET');
  });

  it('stops the process at start with that message, before any request', () => {
    configure({});
    const exits: number[] = [];
    const logged: string[] = [];
    const error = console.error;
    console.error = (line: string) => logged.push(line);
    try {
      checkBlobStoreOrExit((code) => exits.push(code));
    } finally {
      console.error = error;
    }
    expect(exits).toEqual([1]);
    expect(logged).toEqual(['[storage] BLOB_STORE=s3 needs S3_BUCKET (see .env.example).']);
    configure({ S3_BUCKET: 'fine' });
    checkBlobStoreOrExit((code) => exits.push(code));
    expect(exits).toEqual([1]);
  });

  it('refuses half a key pair, without quoting it', () => {
    configure({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: KEY_ID });
    let message = '';
    try {
      blobStore();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
    expect(message).not.toContain(KEY_ID);
  });

  it('rejects an unknown store and a presign lifetime S3 would refuse', () => {
    configure({ S3_BUCKET: 'b' });
    process.env.BLOB_STORE = 'gcs';
    resetEnvCache();
    expect(() => env()).toThrow('BLOB_STORE');
    process.env.BLOB_STORE = 's3';
    process.env.S3_PRESIGN_TTL_SECONDS = String(8 * 24 * 3600);
    resetEnvCache();
    expect(() => env()).toThrow('S3_PRESIGN_TTL_SECONDS');
  });

  it('presigns GETs on the configured endpoint, path style, under the prefix, for S3_PRESIGN_TTL_SECONDS', async () => {
    configure({
      S3_BUCKET: 'studio-bucket',
      S3_ENDPOINT: 'https://minio.example.test:9000',
      S3_FORCE_PATH_STYLE: '1',
      S3_PREFIX: 'team',
      S3_ACCESS_KEY_ID: KEY_ID,
      S3_SECRET_ACCESS_KEY: SECRET,
      S3_PRESIGN_TTL_SECONDS: '900',
    });
    const sha = 'c'.repeat(64);
    const url = new URL(await blobStore().presignGet!(blobKey(sha), { contentType: 'image/webp' }));
    expect(url.origin).toBe('https://minio.example.test:9000');
    expect(url.pathname).toBe(`/studio-bucket/team/${sha}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^${KEY_ID}/\\d{8}/us-east-1/s3/aws4_request$`));
    expect(url.searchParams.get('response-content-type')).toBe('image/webp');
    expect(url.toString()).not.toContain(encodeURIComponent(SECRET));
    expect(url.toString()).not.toContain(SECRET);
  });

  it('builds a new store when the bucket changes, and uses the fs store again when unset', async () => {
    configure({ S3_BUCKET: 'one' });
    const first = blobStore();
    expect(blobStore()).toBe(first);
    configure({ S3_BUCKET: 'two' });
    expect(blobStore()).not.toBe(first);
    for (const name of S3_VARS) delete process.env[name];
    resetEnvCache();
    expect(blobStore().presignGet).toBeUndefined();
  });

  it('redacts both halves of the S3 key pair from anything logged', () => {
    configure({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: KEY_ID, S3_SECRET_ACCESS_KEY: SECRET });
    const out = redact(`signing with ${KEY_ID} and ${SECRET} failed`);
    expect(out).toBe('signing with [redacted] and [redacted] failed');
  });
});
