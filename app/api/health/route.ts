import { readiness } from '@/lib/server/health';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

/**
 * Liveness: `GET /api/health` answers 200 while the process serves requests (it checks
 * nothing else, so a database outage never gets every server restarted at once). The server
 * only starts answering after its database is migrated (instrumentation.ts).
 * Readiness: `GET /api/health?ready=1` (or `/api/ready`) checks the database, its migrations
 * and the blob store, and that the process is not shutting down: 200, or 503 with the failing
 * check. Not through defineRoute: it answers without a session (it has no caller to resolve).
 */
export async function GET(request?: Request) {
  const ready = request && new URL(request.url).searchParams.get('ready');
  if (!ready || ready === '0') return Response.json({ ok: true }, { headers: noStore });
  const result = await readiness();
  return Response.json(result, { status: result.ok ? 200 : 503, headers: noStore });
}
