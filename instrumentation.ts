/**
 * Next.js calls register() once per server process. The run worker lives in the Node.js
 * runtime beside the app, so `npm run dev` / `next start` need nothing else running.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startWorker } = await import('./lib/server/jobs/worker');
    startWorker();
  }
}
