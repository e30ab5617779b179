import { db } from '@/lib/server/db/client';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Readiness: the database opens (and is migrated). Used by the test harness and deploys. */
export async function GET() {
  await db().session.count();
  return Response.json({ ok: true });
}
