'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cancelBatchAction, getBatchAction, pauseBatchAction, resumeBatchAction, retryBatchItemAction } from '@/lib/server/batches/actions';
import { SESSION_EVENT } from '@/lib/schemas/events';
import type { BatchFilter, BatchView as View } from '@/lib/server/batches/view';

const FILTERS: { id: BatchFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'failed', label: 'Failed' },
  { id: 'flagged', label: 'Flagged' },
  { id: 'unreviewed', label: 'Not yet reviewed' },
];

function formatEta(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 60) return `about ${seconds}s left`;
  const m = Math.round(seconds / 60);
  return m < 90 ? `about ${m} min left` : `about ${Math.round(m / 6) / 10} h left`;
}

/** Progress, controls and the input → output grid of one batch; polls while it can still move. */
export function BatchView({ initial }: { initial: View }) {
  const [filter, setFilter] = useState<BatchFilter>('all');
  const [error, setError] = useState<string | null>(null);
  const client = useQueryClient();
  const key = ['batch', initial.id, filter];
  const { data } = useQuery({
    queryKey: key,
    queryFn: async () => {
      const r = await getBatchAction({ batchId: initial.id, filter });
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    },
    initialData: filter === 'all' ? initial : undefined,
    refetchInterval: (q) => {
      const d = q.state.data;
      // The session's event stream refetches at once; this poll covers a dropped stream and item bookkeeping.
      return d && (d.status === 'done' || d.status === 'cancelled') && d.progress.running === 0 ? false : 3000;
    },
  });
  const batch = data ?? initial;
  const finished = (batch.status === 'done' || batch.status === 'cancelled') && batch.progress.running === 0;
  useBatchEvents(batch.sessionId, initial.id, finished);
  const { total, done, failed, running } = batch.progress;
  const pct = total ? Math.round(((done + failed) / total) * 100) : 0;

  const act = async (fn: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setError(null);
    const r = await fn();
    if (!r.ok) setError(r.error?.message ?? 'That did not work.');
    await client.invalidateQueries({ queryKey: ['batch', initial.id] });
  };
  const targets = batch.targets;

  return (
    <div className="space-y-4">
      <section aria-label="Progress" className="space-y-2">
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span data-testid="batch-status" className="font-medium capitalize">
            {batch.status}
          </span>
          <span data-testid="batch-progress">
            {done} done · {failed} failed · {running} running · {total} in all
          </span>
          <span className="text-muted">{batch.status === 'running' || batch.status === 'queued' ? formatEta(batch.etaSeconds) : ''}</span>
        </div>
        <div
          className="h-2 w-full overflow-hidden rounded bg-raised"
          role="progressbar"
          aria-valuenow={pct}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="h-full bg-accent transition-all" style={{ width: `${pct}%` }} />
        </div>
        <div className="flex flex-wrap gap-2">
          {(batch.status === 'running' || batch.status === 'queued') && (
            <Button size="sm" onClick={() => act(() => pauseBatchAction({ batchId: batch.id }))}>
              Pause
            </Button>
          )}
          {batch.status === 'paused' && (
            <Button size="sm" onClick={() => act(() => resumeBatchAction({ batchId: batch.id }))}>
              Resume
            </Button>
          )}
          {batch.status !== 'done' && batch.status !== 'cancelled' && (
            <Button size="sm" onClick={() => act(() => cancelBatchAction({ batchId: batch.id }))}>
              Cancel
            </Button>
          )}
          <a
            href={`/batches/${batch.id}/export`}
            className="rounded-md border border-line bg-panel px-2.5 py-1 text-sm hover:bg-raised"
            download
          >
            Export zip
          </a>
          <a href={`/s/${batch.sessionId}`} className="px-2.5 py-1 text-sm text-muted underline">
            Open its session
          </a>
        </div>
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
      </section>
      <fieldset className="flex gap-1" aria-label="Filter">
        {FILTERS.map((f) => (
          <Button
            key={f.id}
            size="sm"
            variant={filter === f.id ? 'primary' : 'ghost'}
            aria-pressed={filter === f.id}
            onClick={() => setFilter(f.id)}
          >
            {f.label}
          </Button>
        ))}
      </fieldset>
      <table className="w-full border-collapse text-sm" data-testid="batch-grid">
        <thead>
          <tr className="text-left text-xs text-muted">
            <th className="p-1">Input</th>
            {targets.map((t) => (
              <th key={t} className="p-1">
                {t}
              </th>
            ))}
            <th className="p-1">Status</th>
          </tr>
        </thead>
        <tbody>
          {batch.items.map((item) => (
            <tr key={item.id} className="border-t border-line align-top" data-testid="batch-row">
              <td className="p-1">
                {item.referenceSha && (
                  <img src={`/api/assets/${item.referenceSha}/thumb`} alt={item.fileName} className="h-20 w-20 rounded object-cover" />
                )}
                <div className="max-w-24 truncate text-xs text-muted">{item.fileName}</div>
              </td>
              {targets.map((t) => (
                <td key={t} className="p-1">
                  <div className="flex flex-wrap gap-1">
                    {item.variations
                      .filter((v) => v.targetId === t)
                      .map((v) =>
                        v.outputSha ? (
                          <img
                            key={v.id}
                            src={`/api/assets/${v.outputSha}/thumb`}
                            alt={`${item.fileName} → ${t}`}
                            className="h-20 w-20 rounded object-cover"
                            data-testid="batch-output"
                          />
                        ) : (
                          <div key={v.id} className="flex h-20 w-20 items-center justify-center rounded bg-raised text-xs text-muted">
                            {v.status}
                          </div>
                        ),
                      )}
                  </div>
                </td>
              ))}
              <td className="p-1 text-xs">
                <span className="capitalize">{item.status}</span>
                {item.error && <div className="max-w-48 text-danger">{item.error}</div>}
                {(item.status === 'failed' || item.status === 'cancelled') && (
                  <Button size="sm" onClick={() => act(() => retryBatchItemAction({ batchId: batch.id, itemId: item.id }))}>
                    Retry
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {batch.items.length === 0 && <p className="text-sm text-muted">Nothing matches this filter.</p>}
    </div>
  );
}

/**
 * A batch's runs all live in its own session: that session's change stream (the one the studio
 * uses) says when a variation moved, and the batch is read again, at most twice a second.
 */
function useBatchEvents(sessionId: string, batchId: string, finished: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (finished || typeof EventSource === 'undefined') return;
    const es = new EventSource(`/api/sessions/${encodeURIComponent(sessionId)}/events`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onChange = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void client.invalidateQueries({ queryKey: ['batch', batchId] });
      }, 500);
    };
    es.addEventListener(SESSION_EVENT.change, onChange);
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [sessionId, batchId, finished, client]);
}
