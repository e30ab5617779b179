import { db } from '@/lib/server/db/client';
import { errorResponse } from '@/lib/server/errors';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Readiness: the database opens (and is migrated). Used by the test harness and deploys. Not
 * through defineRoute: it answers without a session (it has no caller to resolve).
 */
export async function GET() {
  try {
    await db().session.count();
    return Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (e) {
    return errorResponse(e, 'route health');
  }
}
