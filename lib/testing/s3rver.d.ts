/** The part of s3rver (a devDependency, for lib/server/storage/s3-presign.test.ts) the tests use. */
declare module 's3rver' {
  export default class S3rver {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory?: string });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
