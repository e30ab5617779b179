import { z } from 'zod';
import { gridQuerySchema } from '@/lib/schemas/history';
import { defineRoute } from '@/lib/server/route';
import { listSessionVariations } from '@/lib/server/services/grid';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(64) });

/** The culling grid's pages: every live variation of the session, flat. */
export const GET = defineRoute({ name: 'grid.list', params, query: gridQuerySchema }, (ctx, { params, query }) =>
  listSessionVariations(ctx, params.id, query),
);
