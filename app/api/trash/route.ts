import { defineRoute } from '@/lib/server/route';
import { listTrash } from '@/lib/server/services/trash';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = defineRoute({ name: 'trash.list' }, async (ctx) => ({ entries: await listTrash(ctx) }));
