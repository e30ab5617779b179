/**
 * `npm run seed:large` = node --conditions=react-server --import tsx scripts/seed-large.mts
 * Fills a data folder with ~10,000 variations over ~120 sessions, among them
 * “Large session (1,000 variations)”, to try the history views and `npm run bench -- history`
 * at scale. Options: --data-dir <dir> (default $DATA_DIR, else ./data), --force (delete the
 * earlier seed first; without it the script refuses and changes nothing).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'Usage: npm run seed:large -- [--data-dir <dir>] [--force]';

let args: { 'data-dir'?: string; force?: boolean; help?: boolean };
try {
  args = parseArgs({
    options: { 'data-dir': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values;
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
// Before any app module loads: lib/server/env.ts reads DATA_DIR once.
if (args['data-dir']) process.env.DATA_DIR = path.resolve(args['data-dir']);

const { seedLarge, SeedExistsError } = await import('./seed/index.mts');
const { db } = await import('@/lib/server/db/client');
try {
  const result = await seedLarge({ force: args.force ?? false, log: (line) => console.log(`  ${line}`) });
  console.log(
    `Seeded ${result.dataDir} in ${(result.ms.total / 1000).toFixed(1)} s: ${result.counts.variations.toLocaleString('en')} variations in ` +
      `${result.counts.sessions} sessions. Large session: /s/${result.largeSessionId}`,
  );
} catch (e) {
  if (e instanceof SeedExistsError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
} finally {
  await db().$disconnect();
}
