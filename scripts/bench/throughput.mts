/**
 * `npm run bench -- throughput`: variations per second with 1 worker process, then with 2, on
 * one PostgreSQL database (a fresh proofsheet_bench_* on BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else the local server; dropped afterwards), against the eight asynchronous
 * vendor fakes with a fixed job time. Target: two workers ≥ 1.8× one.
 * Each worker takes at most WORKER_MAX_IN_FLIGHT=4 jobs at once, well under the vendors' 28
 * slots together, so a worker's own capacity is what is measured, as when a deployment adds
 * workers because the ones it has are full (with a cap above the vendors' slots, a second
 * worker could add nothing: the vendors' limits would be the ceiling, by design).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';

// Long enough that waiting on vendors, not the two cores (sharp in the fakes and the store), is the work.
const JOB_MS = 3000;
const PER_WORKER = 4;
const VARIATIONS = 64; // 2 runs × 8 vendors × 4

export async function benchThroughput(): Promise<void> {
  const server = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const url = new URL(server);
  const name = `proofsheet_bench_${randomBytes(4).toString('hex')}`;
  url.pathname = `/${name}`;
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url.toString();
  const { resetEnvCache } = await import('@/lib/server/env');
  resetEnvCache();
  const cluster = await import('../scale/cluster.ts');
  const vendors = await cluster.startVendors(JOB_MS);
  // This process submits the runs: it must see the same vendors configured as the workers.
  const saved = Object.fromEntries(Object.keys(vendors.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vendors.env);
  resetEnvCache();
  try {
    const { db } = await import('@/lib/server/db/client');
    const { resetAdapters } = await import('@/lib/server/providers/registry');
    const { storeAsset } = await import('@/lib/server/assets');
    const { prepareImage } = await import('@/lib/server/images/prepare');
    const { ownerContext } = await import('@/lib/server/context');
    const { createSession } = await import('@/lib/server/services/sessions');
    const { submitRun, submitRunSchema } = await import('@/lib/server/services/runs');
    const { CATALOG } = await import('@/lib/providers/catalog');
    resetAdapters();
    const session = await createSession(ownerContext(), {});
    const png = await sharp({ create: { width: 512, height: 512, channels: 3, background: '#225588' } })
      .png()
      .toBuffer();
    const prepared = await prepareImage(png, 'ref.png');
    if (!prepared.ok) throw new Error(prepared.error.message);
    const assetId = (await storeAsset(prepared.image, 'upload')).id;
    const targets = vendors.vendors.map((v) => CATALOG.find((t) => t.provider === v.provider)!.id);
    const env = {
      ...vendors.env,
      DATABASE_URL: url.toString(),
      DATA_DIR: process.env.DATA_DIR!,
      WORKER_MAX_IN_FLIGHT: String(PER_WORKER),
      WORKER_POLL_MAX_MS: '250',
      WORKER_DRAIN_MS: '1000',
    };

    const rates: number[] = [];
    let seed = 1;
    for (const workers of [1, 2]) {
      const procs = await Promise.all(Array.from({ length: workers }, () => cluster.startWorkerProcess(env)));
      const ids: string[] = [];
      const started = performance.now();
      for (let i = 0; i < VARIATIONS / (targets.length * 4); i++) {
        const input = submitRunSchema.parse({
          sessionId: session,
          instruction: 'make it teal',
          referenceIds: [assetId],
          targets,
          count: 4,
          seed: seed++ * 100,
        });
        ids.push(...(await submitRun(ownerContext(), input)).variationIds);
      }
      for (;;) {
        const open = await db().variation.count({ where: { id: { in: ids }, status: { in: ['queued', 'submitting', 'running'] } } });
        if (open === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (performance.now() - started) / 1000;
      const ok = await db().variation.count({ where: { id: { in: ids }, status: 'succeeded' } });
      rates.push(ok / seconds);
      console.log(
        `${`throughput: ${workers} worker${workers > 1 ? 's' : ''} × ${PER_WORKER} in flight, ${ok}/${ids.length} done, ${JOB_MS} ms jobs`.padEnd(68)} ${(ok / seconds).toFixed(2).padStart(8)} variations/s (${seconds.toFixed(1)} s)`,
      );
      await Promise.all(procs.map((p) => p.kill('SIGTERM')));
    }
    const ratio = rates[1]! / rates[0]!;
    console.log(`${'throughput: 2 workers vs 1'.padEnd(68)} ${ratio.toFixed(2).padStart(8)} ×  ${ratio >= 1.8 ? '✓' : '✗'} target ≥ 1.8×`);
  } finally {
    await cluster.killAll();
    await vendors.close();
    const { db } = await import('@/lib/server/db/client');
    await db().$disconnect();
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
    resetEnvCache();
  }
}
