import 'server-only';
import { databaseConfig, describeDatabase, prepareDatabaseAsync } from './client';

/**
 * For instrumentation.ts: the database is migrated before the worker starts or a request is
 * served. When that fails (a broken or edited migration, an unreadable file), the process
 * stops with one message naming the migration and the reason, instead of serving errors.
 */
export async function prepareDatabaseOrExit(exit: (code: number) => void = (code) => process.exit(code)): Promise<void> {
  try {
    const { applied } = await prepareDatabaseAsync();
    if (applied.length > 0) console.log(`[db] applied ${applied.length} migration(s): ${applied.join(', ')}`);
  } catch (e) {
    console.error(startupFailure(e));
    exit(1);
  }
}

function startupFailure(e: unknown): string {
  const reason = e instanceof Error ? e.message : String(e);
  let where = '';
  try {
    where = ` (database: ${describeDatabase(databaseConfig())})`;
  } catch {
    // The configuration itself is what failed; the reason says so.
  }
  return `Proofsheet did not start: ${reason}${where}`;
}
