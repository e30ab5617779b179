import type { Percentiles, TargetStats } from '@/lib/schemas/ledger-stats';
import { formatUsd } from '@/lib/schemas/ledger';
import { formatMs, formatRate } from './format';

const th = 'px-3 py-2 text-right font-medium whitespace-nowrap';
const td = 'px-3 py-2 text-right tabular-nums whitespace-nowrap';

/** Every figure of the dashboard, one row per target: the charts' text alternative. */
export function DashboardTable({ targets, id }: { targets: TargetStats[]; id: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-line bg-panel">
      <table id={id} className="w-full min-w-[66rem] text-left text-xs">
        <caption className="sr-only">Latency, reliability and cost per target</caption>
        <thead className="text-faint">
          <tr className="border-b border-line">
            <th rowSpan={2} scope="col" className="sticky left-0 bg-panel px-4 py-2 font-medium">
              Target
            </th>
            <th rowSpan={2} scope="col" className={th}>
              Variations
            </th>
            <th rowSpan={2} scope="col" className={th}>
              Success
            </th>
            <th rowSpan={2} scope="col" className="px-3 py-2 font-medium">
              Failures by code
            </th>
            <th rowSpan={2} scope="col" className={th}>
              Retried
            </th>
            <th rowSpan={2} scope="col" className={th}>
              Blocked
            </th>
            <th rowSpan={2} scope="col" className={th}>
              Cost
            </th>
            <th colSpan={3} scope="colgroup" className="border-l border-line px-3 pt-2 text-center font-medium">
              Queue time
            </th>
            <th colSpan={3} scope="colgroup" className="border-l border-line px-3 pt-2 text-center font-medium">
              Provider time
            </th>
            <th colSpan={3} scope="colgroup" className="border-l border-line px-3 pt-2 text-center font-medium">
              Total
            </th>
          </tr>
          <tr className="border-b border-line">
            {['Queue', 'Provider', 'Total'].flatMap((group) =>
              ['P50', 'P95', 'P99'].map((p, i) => (
                <th
                  key={`${group}-${p}`}
                  scope="col"
                  aria-label={`${group} ${p}`}
                  className={`${th} ${i === 0 ? 'border-l border-line' : ''}`}
                >
                  {p}
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => (
            <tr key={t.targetId} className="border-t border-line align-top">
              <th scope="row" className="sticky left-0 bg-panel px-4 py-2 font-normal">
                <span className="block font-medium text-ink">{t.label}</span>
                <span className="font-mono text-[11px] text-faint">{t.targetId}</span>
              </th>
              <td className={td}>
                {t.count}
                {t.pending > 0 && <span className="block text-[11px] text-faint">{t.pending} pending</span>}
              </td>
              <td className={td}>
                <span className="text-ink">{formatRate(t.successRate)}</span>
                <span className="block text-[11px] text-faint">
                  {t.succeeded} ok · {t.failed} failed
                  {t.cancelled > 0 ? ` · ${t.cancelled} cancelled` : ''}
                </span>
              </td>
              <td className="px-3 py-2 text-muted">
                {t.failuresByCode.length === 0 ? (
                  '—'
                ) : (
                  <div className="flex w-56 flex-wrap gap-x-2.5 gap-y-0.5">
                    {t.failuresByCode.map((f) => (
                      <span key={f.code} className="whitespace-nowrap">
                        <span className="font-mono">{f.code}</span> {f.count}
                      </span>
                    ))}
                  </div>
                )}
              </td>
              <td className={td}>{t.retried}</td>
              <td className={td}>
                {t.blocked.promptBlocked + t.blocked.outputBlocked === 0 ? (
                  '—'
                ) : (
                  <>
                    {t.blocked.promptBlocked > 0 && <span className="block">{t.blocked.promptBlocked} prompt</span>}
                    {t.blocked.outputBlocked > 0 && <span className="block">{t.blocked.outputBlocked} output</span>}
                  </>
                )}
              </td>
              <td className={td}>
                {formatUsd(t.costUsd)}
                {t.costUnknown > 0 && <span className="block text-[11px] text-faint">+ {t.costUnknown} unknown</span>}
              </td>
              <Pcts p={t.queueMs} />
              <Pcts p={t.providerMs} />
              <Pcts p={t.totalMs} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pcts({ p }: { p: Percentiles }) {
  return (
    <>
      <td className={`${td} border-l border-line text-ink`}>{formatMs(p.p50)}</td>
      <td className={`${td} text-muted`}>{formatMs(p.p95)}</td>
      <td className={`${td} text-muted`}>{formatMs(p.p99)}</td>
    </>
  );
}
