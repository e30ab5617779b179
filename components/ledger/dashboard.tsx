'use client';

import { useQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useState } from 'react';
import { ledgerStatsQuery } from '@/lib/client/queries';
import { formatUsd } from '@/lib/schemas/ledger';
import {
  LEDGER_WINDOWS,
  type LedgerStats,
  type LedgerWindow,
  PROBE_FILTERS,
  type ProbeFilter,
  WINDOW_LABELS,
} from '@/lib/schemas/ledger-stats';
import { DashboardProbe, type ProbeTarget } from './dashboard-probe';
import { DashboardTable } from './dashboard-table';
import { formatRate } from './format';
import { LatencyChart } from './latency-chart';
import { VolumeChart } from './volume-chart';

const PROBE_LABELS: Record<ProbeFilter, string> = { include: 'Include probes', exclude: 'Leave out probes', only: 'Probes only' };
const METRICS = { totalMs: 'Total', providerMs: 'Provider time', queueMs: 'Queue time' } as const;
const TABLE_ID = 'ledger-table';
const select = 'h-9 rounded-md border border-line bg-panel px-2 text-sm text-ink';

/** The providers dashboard: window and probe filter, totals, charts, the per-target table, the probe. */
export function Dashboard({ initial, probeTargets }: { initial: LedgerStats; probeTargets: ProbeTarget[] }) {
  const [window, setWindow] = useState<LedgerWindow>(initial.window);
  const [probes, setProbes] = useState<ProbeFilter>(initial.probes);
  const [metric, setMetric] = useState<keyof typeof METRICS>('totalMs');
  const isInitial = window === initial.window && probes === initial.probes;
  const { data, error, isFetching } = useQuery({
    ...ledgerStatsQuery(window, probes),
    initialData: isInitial ? initial : undefined,
    placeholderData: (prev) => prev,
  });
  const stats = data ?? initial;
  const totals = stats.targets.reduce(
    (a, t) => ({
      n: a.n + t.count,
      ok: a.ok + t.succeeded,
      failed: a.failed + t.failed,
      cost: a.cost + t.costUsd,
      pending: a.pending + t.pending,
    }),
    { n: 0, ok: 0, failed: 0, cost: 0, pending: 0 },
  );
  const csvHref = `/api/ledger/csv?${new URLSearchParams({ window, probes })}`;

  return (
    <div className="mt-6 space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs font-medium text-faint">
          Window
          <select className={`mt-1 block ${select}`} value={window} onChange={(e) => setWindow(e.target.value as LedgerWindow)}>
            {LEDGER_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {WINDOW_LABELS[w]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-faint">
          Probes
          <select className={`mt-1 block ${select}`} value={probes} onChange={(e) => setProbes(e.target.value as ProbeFilter)}>
            {PROBE_FILTERS.map((p) => (
              <option key={p} value={p}>
                {PROBE_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <a
          href={csvHref}
          download
          className="inline-flex h-9 items-center gap-1.5 rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-raised"
        >
          <Download size={15} aria-hidden /> Download CSV
        </a>
        <span aria-live="polite" className="pb-2 text-xs text-faint">
          {isFetching ? 'Updating…' : totals.pending > 0 ? `${totals.pending} still running` : ''}
        </span>
      </div>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error.message}
        </p>
      )}

      <dl aria-label="Totals" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Variations" value={String(totals.n)} />
        <Figure label="Success rate" value={formatRate(totals.ok + totals.failed === 0 ? null : totals.ok / (totals.ok + totals.failed))} />
        <Figure label="Failed" value={String(totals.failed)} />
        <Figure label="Cost" value={formatUsd(totals.cost)} />
      </dl>

      {stats.targets.length === 0 ? (
        <p className="rounded-xl border border-line bg-panel p-6 text-sm text-muted">
          Nothing ran in this window. Runs from the studio, the API and probes all land here.
        </p>
      ) : (
        <>
          <div className="grid items-start gap-4 xl:grid-cols-2">
            <section aria-labelledby="latency-heading" className="min-w-0 rounded-xl border border-line bg-panel p-4">
              <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 id="latency-heading" className="text-sm font-semibold">
                  Latency per target
                </h2>
                <label className="flex items-center gap-2 text-xs text-faint">
                  Measure
                  <select className={`${select} h-8`} value={metric} onChange={(e) => setMetric(e.target.value as keyof typeof METRICS)}>
                    {Object.entries(METRICS).map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <LatencyChart targets={stats.targets} metric={metric} tableId={TABLE_ID} />
            </section>
            <section aria-labelledby="volume-heading" className="min-w-0 rounded-xl border border-line bg-panel p-4">
              <h2 id="volume-heading" className="mb-3 text-sm font-semibold">
                Volume and success
              </h2>
              <VolumeChart daily={stats.daily} hourly={stats.window === '24h'} />
            </section>
          </div>
          <section aria-labelledby="table-heading">
            <h2 id="table-heading" className="mb-2 text-sm font-semibold">
              Per target
            </h2>
            <p className="mb-2 text-xs text-muted">
              Percentiles are nearest-rank over delivered images: queue is submitted − queued, provider is finished − submitted. Success is
              over what finished (cancelled work is left out); retried counts automatic and manual retries.
            </p>
            <DashboardTable id={TABLE_ID} targets={stats.targets} />
          </section>
        </>
      )}
      <DashboardProbe targets={probeTargets} />
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-xl border border-line bg-panel px-4 py-3">
      <dt className="text-xs text-faint">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
