import { z } from 'zod';
import { getSession, listRuns } from '@/lib/server/queries/sessions';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const query = z.object({ cursor: z.string().min(1).max(64).optional() });

/** The studio polls this while variations are in flight; newest runs first. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: 'Invalid cursor.' }, { status: 400 });
  if (!(await getSession(id))) return Response.json({ error: 'Session not found.' }, { status: 404 });
  return Response.json(await listRuns(id, parsed.data.cursor), { headers: { 'Cache-Control': 'no-store' } });
}
