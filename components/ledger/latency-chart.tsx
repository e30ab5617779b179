'use client';

import 'uplot/dist/uPlot.min.css';
import uPlotTypes from 'uplot';
import type { TargetStats } from '@/lib/schemas/ledger-stats';
import { withAlpha } from './chart-theme';
import { formatMs } from './format';
import { useUplot } from './use-uplot';

type Metric = 'totalMs' | 'providerMs' | 'queueMs';
const ROW = 34;
/** The busiest targets are charted; the table below lists them all. */
const MAX_ROWS = 12;

/**
 * P50, P95 and P99 per target as nested horizontal bars (a bullet chart): the widest, palest
 * bar is P99, inside it P95, and the narrow solid bar P50, so the spread reads at a glance.
 * Horizontal, so long target names fit on phones. Drawn only from the figures the table shows.
 */
export function LatencyChart({ targets, metric, tableId }: { targets: TargetStats[]; metric: Metric; tableId: string }) {
  const rows = targets.filter((t) => t[metric].p50 !== null).slice(0, MAX_ROWS);
  const ref = useUplot(
    (theme, width) => {
      const bars = (factor: number) => uPlotTypes.paths.bars!({ size: [factor, 40], align: 0 });
      const labelWidth = Math.min(200, Math.round(width * 0.38));
      return {
        data: [rows.map((_, i) => i), rows.map((t) => t[metric].p99), rows.map((t) => t[metric].p95), rows.map((t) => t[metric].p50)],
        options: {
          height: Math.max(120, rows.length * ROW + 50),
          legend: { show: false },
          cursor: { show: false },
          scales: {
            x: { time: false, ori: 1, dir: 1, range: [-0.6, rows.length - 0.4] },
            y: { ori: 0, range: (_u, _min, max) => [0, max * 1.05] },
          },
          axes: [
            {
              scale: 'x',
              side: 3,
              size: labelWidth,
              stroke: theme.ink,
              grid: { show: false },
              ticks: { show: false },
              splits: () => rows.map((_, i) => i),
              values: (_u, splits) => splits.map((i) => shorten(rows[i]?.label ?? '', labelWidth)),
            },
            {
              scale: 'y',
              side: 2,
              stroke: theme.muted,
              grid: { stroke: theme.line, width: 1 },
              ticks: { stroke: theme.line, width: 1 },
              space: 56,
              values: (_u, splits) => splits.map((v) => axisMs(v)),
            },
          ],
          series: [
            {},
            { label: 'P99', fill: withAlpha(theme.accent, 0.22), stroke: 'transparent', paths: bars(0.8), points: { show: false } },
            { label: 'P95', fill: withAlpha(theme.accent, 0.45), stroke: 'transparent', paths: bars(0.55), points: { show: false } },
            { label: 'P50', fill: theme.accent, stroke: 'transparent', paths: bars(0.28), points: { show: false } },
          ],
        },
      };
    },
    [rows, metric],
  );
  if (rows.length === 0) return <p className="text-sm text-muted">No delivered images in this window yet.</p>;
  const slowest = [...rows].sort((a, b) => (b[metric].p95 ?? 0) - (a[metric].p95 ?? 0))[0]!;
  return (
    <figure className="m-0">
      <div
        role="img"
        aria-label={`Latency percentiles per target; slowest P95: ${slowest.label}, ${formatMs(slowest[metric].p95)}. Figures in the table below.`}
        aria-describedby={tableId}
        className="text-ink"
      >
        <div ref={ref} aria-hidden />
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
        <Swatch className="bg-accent" label="P50" />
        <Swatch className="bg-accent/45" label="P95" />
        <Swatch className="bg-accent/20" label="P99" />
      </figcaption>
    </figure>
  );
}

export function Swatch({ className, label }: { className: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className={`inline-block size-3 rounded-sm ${className}`} />
      {label}
    </span>
  );
}

function shorten(label: string, px: number): string {
  // About 7.5 px per character of the 12 px axis font, less the axis' own padding.
  const max = Math.max(6, Math.floor((px - 14) / 7.5));
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Axis ticks: whole seconds past one second ("0", "500 ms", "20 s", "90 s"). */
function axisMs(v: number): string {
  if (v === 0) return '0';
  return v < 1000 ? `${Math.round(v)} ms` : `${Math.round(v / 1000)} s`;
}
