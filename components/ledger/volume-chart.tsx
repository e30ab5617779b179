'use client';

import 'uplot/dist/uPlot.min.css';
import uPlotTypes from 'uplot';
import type { DailyPoint } from '@/lib/schemas/ledger-stats';
import { withAlpha } from './chart-theme';
import { Swatch } from './latency-chart';
import { useUplot } from './use-uplot';

/** "2026-12-01" or "2026-12-01T14" (an hour of the 24-hour window) as UTC seconds. */
function bucketSeconds(day: string): number {
  return Date.parse(day.length > 10 ? `${day}:00:00Z` : `${day}T00:00:00Z`) / 1000;
}

/**
 * Variations per day (per hour in the 24-hour window) as bars, with the success rate of what
 * finished as a line on its own 0–100 % axis.
 */
export function VolumeChart({ daily, hourly }: { daily: DailyPoint[]; hourly: boolean }) {
  const ref = useUplot(
    (theme) => ({
      data: [
        daily.map((d) => bucketSeconds(d.day)),
        daily.map((d) => d.total),
        daily.map((d) => (d.succeeded + d.failed === 0 ? null : (100 * d.succeeded) / (d.succeeded + d.failed))),
      ],
      options: {
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: true, range: (_u, min, max) => [min - (hourly ? 1800 : 43200), max + (hourly ? 1800 : 43200)] },
          n: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
          pct: { range: [0, 100] },
        },
        axes: [
          { stroke: theme.muted, grid: { show: false }, ticks: { stroke: theme.line } },
          { scale: 'n', stroke: theme.muted, grid: { stroke: theme.line, width: 1 }, ticks: { stroke: theme.line }, size: 50 },
          { scale: 'pct', side: 1, stroke: theme.muted, grid: { show: false }, values: (_u, s) => s.map((v) => `${v} %`), size: 60 },
        ],
        series: [
          {},
          {
            label: 'Variations',
            scale: 'n',
            fill: withAlpha(theme.accent, 0.35),
            stroke: theme.accent,
            width: 1,
            paths: uPlotTypes.paths.bars!({ size: [0.7, 48] }),
            points: { show: false },
          },
          {
            label: 'Success rate',
            scale: 'pct',
            stroke: theme.ok,
            width: 2,
            points: { show: daily.length < 3, size: 6, fill: theme.ok },
            spanGaps: true,
          },
        ],
      },
    }),
    [daily, hourly],
  );
  if (daily.length === 0) return <p className="text-sm text-muted">Nothing ran in this window.</p>;
  const total = daily.reduce((n, d) => n + d.total, 0);
  return (
    <figure className="m-0">
      <div role="img" aria-label={`${total} variations over ${daily.length} ${hourly ? 'hours' : 'days'}, with the success rate of each.`}>
        <div ref={ref} aria-hidden />
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
        <Swatch className="bg-accent/35" label={hourly ? 'Variations per hour' : 'Variations per day'} />
        <Swatch className="bg-ok" label="Success rate" />
      </figcaption>
    </figure>
  );
}
