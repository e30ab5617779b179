import { listTrash } from '@/lib/server/history/trash';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET() {
  return Response.json({ entries: await listTrash() }, { headers: { 'Cache-Control': 'no-store' } });
}
