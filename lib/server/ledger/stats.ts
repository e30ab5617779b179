import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import { type DailyPoint, type LedgerQuery, type LedgerStats, type TargetStats, WINDOW_MS } from '@/lib/schemas/ledger-stats';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { msBetweenSql, noIndexSql, packedSql, timePrefixSql, unitSeparatorSql } from '../db/dialect';
import { Prisma } from '../generated/prisma/client';
import { countCodes, parseDurations, percentiles, successRate } from './stats-math';

/**
 * The variations of the caller's workspace queued in the window, filtered by run kind. Deleted
 * ones stay in: they were sent and billed, and the ledger is about the providers, not the
 * history. The workspace's run ids are listed once (SQLite builds a small set with a bloom
 * filter); on SQLite a unary + (noIndexSql) keeps the planner on Variation_ledger_idx instead of walking runs.
 * `alone`: no other workspace has a session (confirmed in the same batch transaction), so the
 * workspace test can go; it was half of the time over 100,000 rows. Only probes are then looked up.
 */
export function ledgerScope(ctx: Ctx, q: LedgerQuery, now: Date, alone = false): { where: Prisma.Sql; since: Date | null } {
  const span = WINDOW_MS[q.window];
  const since = span === null ? null : new Date(now.getTime() - span);
  const kind =
    q.probes === 'exclude' ? Prisma.sql`AND r."kind" <> 'probe'` : q.probes === 'only' ? Prisma.sql`AND r."kind" = 'probe'` : Prisma.empty;
  const probeRuns = Prisma.sql`(SELECT r."id" FROM "Run" r WHERE r."kind" = 'probe')`;
  const runId = noIndexSql(Prisma.sql`v."runId"`);
  const scope = !alone
    ? Prisma.sql`${runId} IN (SELECT r."id" FROM "Run" r JOIN "Session" s ON s."id" = r."sessionId"
      WHERE s."workspaceId" = ${ctx.workspaceId} ${kind})`
    : q.probes === 'exclude'
      ? Prisma.sql`${runId} NOT IN ${probeRuns}`
      : q.probes === 'only'
        ? Prisma.sql`${runId} IN ${probeRuns}`
        : Prisma.sql`1 = 1`;
  const where = Prisma.sql`${scope} ${since ? Prisma.sql`AND v."queuedAt" >= ${since}` : Prisma.empty}`;
  return { where, since };
}

/*
 * Written in SQL that SQLite and PostgreSQL both accept (Date parameters, CASE sums, COALESCE),
 * except for the time arithmetic, the packing of a group's values into a string, the separator
 * character, the day of a stored time and the unary + that steers SQLite's planner: those come
 * from lib/server/db/dialect.ts, spelled for the database in use, with the same values.
 */

/** Milliseconds between two stored instants of the variation. */
const msBetween = msBetweenSql;

// A delivered image with all three instants: the rows the latency percentiles are taken over.
const DELIVERED = Prisma.raw(`v."status" = 'succeeded' AND v."submittedAt" IS NOT NULL AND v."finishedAt" IS NOT NULL`);
/** How many rows of the group meet the condition. */
const countIf = (cond: string) => Prisma.raw(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`);

type Num = bigint | number;
type TargetRow = {
  targetId: string;
  n: Num;
  succeeded: Num;
  failed: Num;
  cancelled: Num;
  retried: Num;
  cost: number | null;
  costUnknown: Num;
  promptBlocked: Num;
  outputBlocked: Num;
  queueMs: string | null;
  providerMs: string | null;
  codes: string | null;
};

/**
 * The per-target figures of the providers dashboard, in one pass over Variation_ledger_idx
 * (which holds every column read here) grouped by target in index order, plus one small pass
 * for the daily chart over Variation_queuedAt_idx (queuedAt, status, runId: it covers that pass too). SQLite has no percentile function and sorting inside it (window
 * functions) cost several times more: the delivered images' durations come back as one
 * packed string per target and are sorted in JS (nearest rank, stats-math.ts). Latency is over
 * delivered images only: a failure is counted under its error code instead, so an instant
 * refusal never makes a provider look fast. Retried: an automatic retry (attempt > 0) or a user
 * retry (generation > 0; a user retry resets attempt).
 */
export async function ledgerStats(ctx: Ctx, q: LedgerQuery, now = new Date()): Promise<LedgerStats> {
  const others = () => db().session.findFirst({ where: { workspaceId: { not: ctx.workspaceId } }, select: { id: true } });
  let alone = !(await others());
  for (;;) {
    const { where, since } = ledgerScope(ctx, q, now, alone);
    // One batch transaction (never an interactive one: hardening Q4), so both passes see the same
    // data, and "alone" is confirmed in that same snapshot: another workspace's variations need
    // its session (a foreign key), so if none is visible here, none was counted.
    const [rows, daily, other] = await db().$transaction([targetRows(where), dailyRows(where, q.window === '24h' ? 13 : 10), others()]);
    if (alone && other) {
      alone = false; // another workspace appeared since the first look: count again, scoped
      continue;
    }
    return assemble(q, now, since, rows, daily.map(dailyPoint));
  }
}

function targetRows(where: Prisma.Sql) {
  return db().$queryRaw<TargetRow[]>`
    SELECT v."targetId" AS "targetId", COUNT(*) AS "n",
      ${countIf(`v."status" = 'succeeded'`)} AS "succeeded", ${countIf(`v."status" = 'failed'`)} AS "failed",
      ${countIf(`v."status" = 'cancelled'`)} AS "cancelled", ${countIf(`v."attempt" > 0 OR v."generation" > 0`)} AS "retried",
      COALESCE(SUM(v."costUsd"), 0) AS "cost",
      ${countIf(`v."costUsd" IS NULL AND v."status" IN ('succeeded', 'failed')`)} AS "costUnknown",
      ${countIf(`v."blockKind" = 'prompt-blocked'`)} AS "promptBlocked", ${countIf(`v."blockKind" = 'output-blocked'`)} AS "outputBlocked",
      ${packedSql(Prisma.sql`CASE WHEN ${DELIVERED} THEN ${msBetween('submittedAt', 'queuedAt')} END`)} AS "queueMs",
      ${packedSql(Prisma.sql`CASE WHEN ${DELIVERED} THEN ${msBetween('finishedAt', 'submittedAt')} END`)} AS "providerMs",
      ${packedSql(Prisma.sql`CASE WHEN v."status" = 'failed' THEN COALESCE(v."errorCode", 'unknown') END`, unitSeparatorSql())} AS "codes"
    FROM "Variation" v WHERE ${where}
    GROUP BY v."targetId"`;
}

function assemble(q: LedgerQuery, now: Date, since: Date | null, rows: TargetRow[], daily: DailyPoint[]): LedgerStats {
  const targets: TargetStats[] = rows.map((r) => {
    const succeeded = Number(r.succeeded);
    const failed = Number(r.failed);
    const cancelled = Number(r.cancelled);
    const count = Number(r.n);
    const target = findTarget(r.targetId);
    return {
      targetId: r.targetId,
      label: target?.label ?? r.targetId,
      provider: target?.provider ?? r.targetId.split('/')[0] ?? '',
      model: target?.model ?? '',
      count,
      succeeded,
      failed,
      cancelled,
      pending: count - succeeded - failed - cancelled,
      successRate: successRate(succeeded, failed),
      retried: Number(r.retried),
      failuresByCode: countCodes(r.codes, '\u001f'),
      blocked: { promptBlocked: Number(r.promptBlocked), outputBlocked: Number(r.outputBlocked) },
      costUsd: r.cost ?? 0,
      costUnknown: Number(r.costUnknown),
      ...latency(r),
    };
  });
  targets.sort((x, y) => y.count - x.count || x.label.localeCompare(y.label));
  return { window: q.window, probes: q.probes, since: since?.toISOString() ?? null, generatedAt: now.toISOString(), targets, daily };
}

/**
 * The three latency figures of a target. Both lists come from one pass in the same row order,
 * so total = queue + provider row by row (exact: the instants are whole milliseconds), which
 * saves SQLite a third of its date arithmetic. Sorting happens after the sums.
 */
function latency(r: TargetRow): Pick<TargetStats, 'queueMs' | 'providerMs' | 'totalMs'> {
  const queue = parseDurations(r.queueMs);
  const provider = parseDurations(r.providerMs);
  if (queue.length !== provider.length) throw new Error('ledger: queue and provider lists differ in length');
  const total = new Float64Array(queue.length);
  for (let i = 0; i < queue.length; i++) total[i] = queue[i]! + provider[i]!;
  return { queueMs: percentiles(queue), providerMs: percentiles(provider), totalMs: percentiles(total) };
}

type DailyRow = { day: string; total: Num; succeeded: Num; failed: Num };

/** Volume and outcome per UTC day (per hour for the 24-hour window), oldest first. */
function dailyRows(where: Prisma.Sql, prefix: 10 | 13) {
  return db().$queryRaw<DailyRow[]>`
    SELECT ${timePrefixSql('queuedAt', prefix)} AS "day", COUNT(*) AS "total",
      ${countIf(`v."status" = 'succeeded'`)} AS "succeeded", ${countIf(`v."status" = 'failed'`)} AS "failed"
    FROM "Variation" v WHERE ${where}
    GROUP BY 1 ORDER BY 1`;
}

function dailyPoint(r: DailyRow): DailyPoint {
  return { day: r.day, total: Number(r.total), succeeded: Number(r.succeeded), failed: Number(r.failed) };
}
