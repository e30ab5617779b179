import { db } from '@/lib/server/db/client';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Readiness: the database opens (and is migrated). Used by the test harness and deploys. */
export const GET = defineRoute({ name: 'health' }, async () => {
  await db().session.count();
  return { ok: true };
});
