/**
 * The run worker alone, without the web server:
 *   node --conditions=react-server --import tsx scripts/worker.mts
 * It reads the same .env files and database as the app, so it can run beside servers started
 * with WORKER_ENABLED=0, or beside other workers (claims and vendor limits are enforced in SQL;
 * housekeeping and the batch feeder run in the one process that holds the leader lock).
 * SIGTERM drains it: no new work, in-flight calls finish within WORKER_DRAIN_MS, then it exits.
 * The fault-injection tests (lib/server/jobs/faults.test.ts) start and kill -9 it.
 */
import { createRequire } from 'node:module';

// .env files the way Next.js reads them; variables already set win.
const requireFromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
requireFromNext('@next/env').loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', { info: () => {}, error: console.error });

const { prepareDatabaseOrExit } = await import('@/lib/server/db/startup');
await prepareDatabaseOrExit();
(await import('@/lib/server/storage')).checkBlobStoreOrExit();
const { startWorker } = await import('@/lib/server/jobs/worker');
startWorker();
// Housekeeping and the batch feeder, in whichever process (worker or web server) leads.
(await import('@/lib/server/jobs/housekeeping')).startHousekeeping();
console.log(`[worker] running (pid ${process.pid})`);
