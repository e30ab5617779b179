/**
 * `npm run bench`: prints the figures the issues set targets for. Not a test: numbers vary
 * with the machine; the targets are for this project's 2-core reference machine.
 * Runs in-process against a temporary data folder and the fake providers over real HTTP.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-bench-'));
process.env.WORKER_LEASE_MS = '30000';

const sections = (process.argv[2] ?? 'all').split(',');
const want = (name: string) => sections.includes('all') || sections.includes(name);

// Fakes first: the app's adapters read their base URLs from the environment once.
const { startBenchFakes, benchProviderOverhead } = await import('./providers.mts');
await startBenchFakes();
const { benchUploads, benchEngine, benchFirstVariation } = await import('./core.mts');

console.log(`Proofsheet benchmarks · node ${process.version} · ${os.cpus().length} cores · data ${process.env.DATA_DIR}\n`);
if (want('core')) {
  await benchUploads();
  await benchEngine();
  await benchFirstVariation();
}
if (want('providers')) await benchProviderOverhead();
let seeded: { dataDir: string; largeSessionId: string } | undefined;
if (want('history')) {
  const { benchHistory } = await import('./history.mts');
  seeded = await benchHistory();
}
// The same history queries on PostgreSQL (the large set copied over; needs a server, see history-pg.mts).
if (want('history-pg')) await (await import('./history-pg.mts')).benchHistoryPostgres(seeded);
// The history pages from a production build under `next start` (builds it: about 1–2 minutes).
if (want('pages')) await (await import('./history-pages.mts')).benchHistoryPages(seeded);
// The same pages with that build on PostgreSQL (reuses .bench/next when the pages section made it).
if (want('pages-pg'))
  await (await import('./history-pg.mts')).benchHistoryPagesPostgres(
    seeded,
    want('pages') && !process.env.BENCH_NEXT_DIST ? '.bench/next' : undefined,
  );
if (want('uploads')) await (await import('./uploads.mts')).benchUploadHardening();
// Fan-out to 8 fake vendors whose jobs take 4 s of wall time (about a minute: 7 rounds).
if (want('fanout')) await (await import('./fanout.mts')).benchFanout();
// A catalog batch of 500 references against two instant fakes: items per second, CPU per item.
if (want('batch')) await (await import('./batch.mts')).benchBatch();
// The providers dashboard's queries over 100,000 recorded variations (target ≤ 200 ms).
if (want('ledger')) await (await import('./ledger.mts')).benchLedger();
// Variations per second with 1 and 2 worker processes on PostgreSQL (target ≥ 1.8× with two; ~1 min).
if (want('throughput')) await (await import('./throughput.mts')).benchThroughput();
// Leave nothing behind in /tmp (the history section alone writes ~14 MB).
const { rmSync } = await import('node:fs');
rmSync(process.env.DATA_DIR!, { recursive: true, force: true });
process.exit(0);
