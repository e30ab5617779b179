import { z } from 'zod';
import { sessionEventResponse } from '@/lib/server/events/stream';
import { defineRoute } from '@/lib/server/route';
import { requireSession } from '@/lib/server/services/sessions';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(64) });

/**
 * A session's changes as Server-Sent Events, for the studio's open page (one connection per
 * page instead of a request loop). Another workspace's session is a 404 before any stream.
 */
export const GET = defineRoute({ name: 'sessions.events', params }, async (ctx, { params, request }) => {
  const session = await requireSession(ctx, params.id);
  return sessionEventResponse(session.id, request.signal);
});
