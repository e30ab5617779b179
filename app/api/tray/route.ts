import { listTray } from '@/lib/server/history/tray';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET() {
  return Response.json({ items: await listTray() }, { headers: { 'Cache-Control': 'no-store' } });
}
