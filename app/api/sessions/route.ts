import { listSessions } from '@/lib/server/history/sessions';
import { sessionFilterSchema } from '@/lib/schemas/history';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The session list: search (title, notes, instructions), filters, cursor pagination. */
export async function GET(request: Request) {
  const parsed = sessionFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? 'Invalid filter.' }, { status: 400 });
  return Response.json(await listSessions(parsed.data), { headers: { 'Cache-Control': 'no-store' } });
}
