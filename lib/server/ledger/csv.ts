import 'server-only';
import type { LedgerQuery } from '@/lib/schemas/ledger-stats';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { msBetweenSql } from '../db/dialect';
import { Prisma } from '../generated/prisma/client';
import { csvLine } from './csv-cell';
import { ledgerScope } from './stats';

export const LEDGER_CSV_COLUMNS = [
  'queued_at',
  'variation_id',
  'run_id',
  'run_kind',
  'target',
  'provider',
  'model',
  'status',
  'error_code',
  'queue_ms',
  'provider_ms',
  'total_ms',
  'cost_usd',
  'cost_source',
  'blocked',
  'vendor_request_id',
] as const;

const PAGE = 2000;

type Row = {
  queuedAt: string;
  id: string;
  runId: string;
  kind: string;
  targetId: string;
  provider: string;
  model: string;
  status: string;
  errorCode: string | null;
  queueMs: bigint | number | null;
  providerMs: bigint | number | null;
  totalMs: bigint | number | null;
  costUsd: number | null;
  costSource: string | null;
  blockKind: string | null;
  vendorRequestId: string | null;
};

const num = (v: bigint | number | null) => (v === null ? null : Number(v));
// The same arithmetic as the dashboard (stats.ts), so a spreadsheet reproduces its figures.
const ms = msBetweenSql;

/**
 * The ledger of the window as CSV, one row per variation, oldest first, yielded a page at a
 * time (keyset on queuedAt, id) so a large export never sits in memory. Times are ISO UTC.
 */
export async function* ledgerCsv(ctx: Ctx, q: LedgerQuery, now = new Date()): AsyncGenerator<string> {
  const { where } = ledgerScope(ctx, q, now);
  yield csvLine([...LEDGER_CSV_COLUMNS]);
  let after: { queuedAt: string; id: string } | null = null;
  for (;;) {
    const page: Row[] = await db().$queryRaw<Row[]>`
      SELECT v."queuedAt" AS "queuedAt", v."id" AS "id", v."runId" AS "runId",
        (SELECT r."kind" FROM "Run" r WHERE r."id" = v."runId") AS "kind",
        v."targetId" AS "targetId", v."provider" AS "provider", v."model" AS "model", v."status" AS "status",
        v."errorCode" AS "errorCode", ${ms('submittedAt', 'queuedAt')} AS "queueMs",
        ${ms('finishedAt', 'submittedAt')} AS "providerMs", ${ms('finishedAt', 'queuedAt')} AS "totalMs",
        v."costUsd" AS "costUsd", v."costSource" AS "costSource", v."blockKind" AS "blockKind",
        v."vendorRequestId" AS "vendorRequestId"
      FROM "Variation" v WHERE ${where}
        ${after ? Prisma.sql`AND (v."queuedAt" > ${after.queuedAt} OR (v."queuedAt" = ${after.queuedAt} AND v."id" > ${after.id}))` : Prisma.empty}
      ORDER BY v."queuedAt", v."id" LIMIT ${PAGE}`;
    if (page.length === 0) return;
    let chunk = '';
    for (const r of page) {
      chunk += csvLine([
        new Date(r.queuedAt).toISOString(),
        r.id,
        r.runId,
        r.kind,
        r.targetId,
        r.provider,
        r.model,
        r.status,
        r.errorCode,
        num(r.queueMs),
        num(r.providerMs),
        num(r.totalMs),
        r.costUsd,
        r.costSource,
        r.blockKind,
        r.vendorRequestId,
      ]);
    }
    yield chunk;
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    after = { queuedAt: last.queuedAt, id: last.id };
  }
}

/**
 * The export as a download: pulled page by page as the browser reads (high-water mark 0), so
 * the database is read no faster than the file is saved; a cancelled download stops the reads.
 */
export function ledgerCsvResponse(ctx: Ctx, q: LedgerQuery, now = new Date()): Response {
  const pages = ledgerCsv(ctx, q, now);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await pages.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  const name = `proofsheet-ledger-${q.window}${q.probes === 'include' ? '' : `-probes-${q.probes}`}-${now.toISOString().slice(0, 10)}.csv`;
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
