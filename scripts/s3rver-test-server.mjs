/**
 * The fallback S3 test server of scripts/s3-test-server.sh when moto is not installed: s3rver
 * (a devDependency, pure Node.js) on 127.0.0.1:$S3_TEST_PORT, accepting the test key pair the
 * tests sign with (S3_TEST_ACCESS_KEY_ID / S3_TEST_SECRET_ACCESS_KEY, defaults as in
 * lib/testing/s3.ts) besides its built-in S3RVER/S3RVER. Data in a temporary folder.
 * Its gaps against moto: no conditional writes (If-None-Match is ignored, so the "two writers
 * of one key" contract case cannot fail there), and ListMultipartUploads is not implemented.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const accessKeyId = process.env.S3_TEST_ACCESS_KEY_ID || 'PROOFSHEETTESTKEYID';
const secretAccessKey = process.env.S3_TEST_SECRET_ACCESS_KEY || 'proofsheet-test-secret-access-key';
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);

const port = Number(process.env.S3_TEST_PORT || 9000);
const directory = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-s3rver-'));
const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory });
await server.run();
console.log(`s3rver on http://127.0.0.1:${port} (data: ${directory})`);
