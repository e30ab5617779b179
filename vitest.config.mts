import path from 'node:path';
import { defineConfig } from 'vitest/config';

// At the root, where Vitest looks first; `npm run test:unit` and a bare `npx vitest` agree.
const root = import.meta.dirname;

/**
 * The data layer and the run engine run a second time on PostgreSQL (project `postgres`):
 * lib/testing/temp-data.ts gives each of these files a fresh database instead of a SQLite file.
 * The project runs when TEST_DATABASE_URL names a server, and always in CI, where a missing
 * server fails the run (lib/testing/postgres-setup.ts); without either, SQLite only.
 */
const onPostgres = [
  // Every service test, present and future (new tables get their Postgres run for free).
  'lib/server/services/**/*.test.ts',
  // The run engine. (faults.test.ts, the kill -9 tests, stays SQLite-only: ~100 s.)
  'lib/server/jobs/worker.test.ts',
  'lib/server/jobs/failure.test.ts',
  'lib/server/jobs/store-output.test.ts',
  'lib/server/jobs/fetch-output.test.ts',
  'lib/server/api/api.test.ts',
  'lib/server/api/webhooks-out.test.ts',
  'lib/server/batches/api.test.ts',
  'lib/server/events/stream.test.ts',
  'lib/server/db/postgres.test.ts',
  'lib/server/events/pg-bus.test.ts',
  'lib/server/health.test.ts',
  'lib/server/jobs/queue.test.ts',
  'lib/server/jobs/leader.test.ts',
  // Galleries, review, export, the ledger and safety (issues 10 and 12); their pure tests too
  // (milliseconds), so a file that starts reading the database is covered without an edit here.
  'lib/server/review/*.test.ts',
  'lib/server/ledger/*.test.ts',
  'lib/server/safety/*.test.ts',
  'lib/server/export/*.test.ts',
  // Two web servers and two workers as processes on one database and bucket (~1 min).
  'scripts/scale/multi-process.test.ts',
];
const postgresWanted = Boolean(process.env.TEST_DATABASE_URL || process.env.CI);
/**
 * Image storage and the run engine run a second time on S3 (project `s3`): BLOB_STORE=s3 on
 * the server at S3_TEST_ENDPOINT, one prefix per file (lib/testing/s3-env.ts). Always in CI,
 * where a missing server fails the run (lib/testing/s3-setup.ts). The S3 store's own tests
 * (lib/server/storage/s3-*.test.ts) run in `sqlite` and read S3_TEST_ENDPOINT themselves.
 */
const onS3 = [
  'lib/server/serve-asset.test.ts',
  'lib/server/jobs/store-output.test.ts',
  'lib/server/jobs/worker.test.ts',
  'lib/server/jobs/failure.test.ts',
  'lib/server/hardening/uploads.test.ts',
  // Exports stream originals and review links serve renditions through the store (issue 10).
  'lib/server/export/zip.test.ts',
  'lib/server/review/routes.test.ts',
];
const s3Wanted = Boolean(process.env.S3_TEST_ENDPOINT || process.env.CI);

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws outside React Server Components; tests run server code directly.
      'server-only': path.resolve(root, 'lib/testing/empty-module.ts'),
    },
  },
  test: {
    root,
    environment: 'node',
    // Generous: sharp, SQLite and child processes share two cores with a parallel worker.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep the pool small so sharp and SQLite tests do not starve each other.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['lib/**/*.test.ts', 'e2e/fakes/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [
            'lib/server/db/postgres.test.ts',
            'lib/server/events/pg-bus.test.ts',
            'lib/server/jobs/queue.test.ts',
            'lib/server/jobs/leader.test.ts',
            'scripts/scale/multi-process.test.ts',
          ],
        },
      },
      ...(postgresWanted
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: onPostgres,
                env: { PROOFSHEET_TEST_DB: 'postgres' },
                globalSetup: ['lib/testing/postgres-setup.ts'],
              },
            },
          ]
        : []),
      ...(s3Wanted
        ? [
            {
              extends: true as const,
              test: { name: 's3', include: onS3, globalSetup: ['lib/testing/s3-setup.ts'], setupFiles: ['lib/testing/s3-env.ts'] },
            },
          ]
        : []),
    ],
  },
});
