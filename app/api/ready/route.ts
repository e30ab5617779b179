import { readiness } from '@/lib/server/health';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Readiness, the same as `/api/health?ready=1` (see app/api/health/route.ts). */
export async function GET() {
  const result = await readiness();
  return Response.json(result, { status: result.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
