import type { TestProject } from 'vitest/node';
import { freshBucket, s3TestTarget } from './s3';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by this globalSetup in the `s3` project: the bucket its test files share, each under its own prefix. */
    s3TestBucket: string;
  }
}

/**
 * globalSetup of the `s3` vitest project: the server at S3_TEST_ENDPOINT must answer, or the
 * run fails here with one message (in CI s3TestTarget() throws when it is unset: .ci/run starts
 * one). One bucket for the project; lib/testing/s3-env.ts gives each file a prefix in it.
 */
export default async function setup(project: TestProject): Promise<void> {
  const target = s3TestTarget();
  if (!target) throw new Error('The s3 test project needs S3_TEST_ENDPOINT (bash scripts/s3-test-server.sh starts a server).');
  let bucket: string;
  try {
    bucket = await freshBucket(target);
  } catch (e) {
    throw new Error(`The s3 test project could not create a bucket at S3_TEST_ENDPOINT (${target.endpoint}): ${(e as Error).message}`);
  }
  project.provide('s3TestBucket', bucket);
}
