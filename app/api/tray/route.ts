import { defineRoute } from '@/lib/server/route';
import { listTray } from '@/lib/server/services/tray';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = defineRoute({ name: 'tray.list' }, async (ctx) => ({ items: await listTray(ctx) }));
