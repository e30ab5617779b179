'use client';

import { useQueryClient } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { estimateProbeAction, runProbeAction } from '@/app/(studio)/providers/actions';
import { ledgerKeys } from '@/lib/client/query-keys';
import { type EstimateView, formatUsd } from '@/lib/schemas/ledger';
import { Button } from '../ui/button';

export type ProbeTarget = { id: string; label: string };

/**
 * The burn test: N identical small edits on each chosen target. Two steps, so nothing is spent
 * unseen: "Estimate cost" shows what it would cost (and any budget warning or refusal), then
 * "Run probe" sends exactly that; changing the choice asks for a new estimate.
 */
export function DashboardProbe({ targets }: { targets: ProbeTarget[] }) {
  const client = useQueryClient();
  const [picked, setPicked] = useState<string[]>([]);
  const [count, setCount] = useState(5);
  const [estimate, setEstimate] = useState<EstimateView | null>(null);
  const [busy, setBusy] = useState<'estimate' | 'run' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<{ variations: number; sessionId: string } | null>(null);
  const labels = new Map(targets.map((t) => [t.id, t.label]));

  const changed = () => {
    setEstimate(null);
    setError(null);
  };
  const toggle = (id: string, on: boolean) => {
    setPicked((p) => (on ? [...p, id] : p.filter((x) => x !== id)));
    changed();
  };
  const askEstimate = async () => {
    setBusy('estimate');
    setStarted(null);
    const res = await estimateProbeAction({ targets: picked, count });
    setBusy(null);
    if (res.ok) setEstimate(res.data);
    else setError(res.error.message);
  };
  const run = async () => {
    if (!estimate) return;
    setBusy('run');
    const res = await runProbeAction({ targets: picked, count, confirmedUsd: estimate.totalUsd });
    setBusy(null);
    if (!res.ok) {
      setError(res.error.message);
      setEstimate(null);
      return;
    }
    setEstimate(null);
    setStarted({ variations: res.data.variations, sessionId: res.data.sessionId });
    await client.invalidateQueries({ queryKey: ledgerKeys.all });
  };

  const valid = picked.length > 0 && count >= 1 && count <= 20;
  return (
    <section aria-labelledby="probe-heading" className="rounded-xl border border-line bg-panel p-4">
      <h2 id="probe-heading" className="flex items-center gap-2 text-sm font-semibold">
        <FlaskConical size={16} aria-hidden /> Probe (burn test)
      </h2>
      <p className="mt-1 text-xs text-muted">
        Sends the same small edit (a 512 px reference, “replace the background with plain white”) to each target you pick, to measure its
        real cost and latency. Probes go to a “Probes” session and count in these figures unless you leave them out above.
      </p>
      <fieldset className="mt-3">
        <legend className="text-xs font-medium text-faint">Targets to probe</legend>
        {targets.length === 0 ? (
          <p className="mt-1 text-xs text-muted">No provider is configured.</p>
        ) : (
          <div className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-2">
            {targets.map((t) => (
              <label key={t.id} className="flex min-h-8 items-center gap-2 text-sm">
                <input type="checkbox" checked={picked.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} />
                {t.label}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <label className="text-xs font-medium text-faint">
          Edits per target
          <input
            type="number"
            min={1}
            max={20}
            value={count}
            onChange={(e) => {
              setCount(Math.max(1, Math.min(20, Math.round(Number(e.target.value) || 1))));
              changed();
            }}
            className="mt-1 block h-9 w-24 rounded-md border border-line bg-canvas px-2 text-sm text-ink"
          />
        </label>
        <Button onClick={askEstimate} disabled={!valid || busy !== null}>
          {busy === 'estimate' ? 'Estimating…' : 'Estimate cost'}
        </Button>
      </div>

      {estimate && (
        <div role="status" aria-label="Probe estimate" className="mt-3 rounded-lg border border-line bg-raised p-3 text-sm">
          <p>
            <span className="font-medium">
              {picked.length * count} edits · estimate {estimate.totalUsd === null ? 'unknown' : formatUsd(estimate.totalUsd)}
            </span>{' '}
            <span className="text-muted">
              ({count} × {picked.length} target{picked.length === 1 ? '' : 's'}
              {estimate.unknownTargets.length > 0
                ? `; no known price for ${estimate.unknownTargets.map((id) => labels.get(id) ?? id).join(', ')}`
                : ''}
              )
            </span>
          </p>
          {estimate.warnings.map((w) => (
            <p key={w} className="mt-1 text-xs text-muted">
              {w}
            </p>
          ))}
          {estimate.refusal ? (
            <p className="mt-2 text-xs text-danger">{estimate.refusal}</p>
          ) : (
            <Button variant="primary" className="mt-3" onClick={run} disabled={busy !== null}>
              {busy === 'run' ? 'Starting…' : `Run probe (${estimate.totalUsd === null ? 'cost unknown' : formatUsd(estimate.totalUsd)})`}
            </Button>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="mt-3 text-sm text-danger">
          {error}
        </p>
      )}
      {started && (
        <p role="status" className="mt-3 text-sm text-ok">
          Probe started: {started.variations} edits queued.{' '}
          <Link href={`/s/${started.sessionId}`} className="text-accent hover:underline">
            Open the Probes session
          </Link>
        </p>
      )}
    </section>
  );
}
