import { gridQuerySchema, listSessionVariations } from '@/lib/server/history/grid';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The culling grid's pages: every live variation of the session, flat. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const parsed = gridQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: 'Invalid cursor.' }, { status: 400 });
  return Response.json(await listSessionVariations(id, parsed.data), { headers: { 'Cache-Control': 'no-store' } });
}
