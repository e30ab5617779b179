import { ledgerQuerySchema } from '@/lib/schemas/ledger-stats';
import { ledgerStats } from '@/lib/server/ledger/stats';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The providers dashboard's figures for one window: GET /api/ledger/stats?window=7d&probes=include */
export const GET = defineRoute({ name: 'ledger.stats', query: ledgerQuerySchema }, (ctx, { query }) => ledgerStats(ctx, query));
