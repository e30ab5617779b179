import { z } from 'zod';
import { defineRoute } from '@/lib/server/route';
import { listRuns } from '@/lib/server/services/runs';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(64) });
const query = z.object({ cursor: z.string().min(1).max(64).optional() });

/** The studio's run feed, newest runs first. */
export const GET = defineRoute({ name: 'runs.list', params, query }, (ctx, { params, query }) =>
  listRuns(ctx, { sessionId: params.id, cursor: query.cursor }),
);
