import { ledgerQuerySchema } from '@/lib/schemas/ledger-stats';
import { ledgerCsvResponse } from '@/lib/server/ledger/csv';
import { defineRoute } from '@/lib/server/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The ledger of one window as a CSV download, one row per variation, streamed. */
export const GET = defineRoute({ name: 'ledger.csv', query: ledgerQuerySchema }, async (ctx, { query }) => ledgerCsvResponse(ctx, query));
