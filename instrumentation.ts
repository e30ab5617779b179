/**
 * Next.js calls register() once per server process, before it serves anything. The database
 * is migrated here (a failure stops the process with one message), then the run worker and
 * the hourly housekeeping start in the Node.js runtime beside the app, so `npm run dev` /
 * `next start` need nothing else running.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { prepareDatabaseOrExit } = await import('./lib/server/db/startup');
    await prepareDatabaseOrExit();
    (await import('./lib/server/storage')).checkBlobStoreOrExit();
    const { startWorker } = await import('./lib/server/jobs/worker');
    startWorker();
    // Housekeeping and the batch feeder: here on SQLite; on PostgreSQL in the elected leader.
    (await import('./lib/server/jobs/housekeeping')).startHousekeeping();
  }
}
