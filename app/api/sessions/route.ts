import { sessionFilterSchema } from '@/lib/schemas/history';
import { defineRoute } from '@/lib/server/route';
import { listSessions } from '@/lib/server/services/sessions';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The session list: search (title, notes, instructions), filters, cursor pagination. */
export const GET = defineRoute({ name: 'sessions.list', query: sessionFilterSchema }, (ctx, { query }) => listSessions(ctx, query));
