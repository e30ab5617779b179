'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { EyeOff } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { reviewKeys } from '@/lib/client/query-keys';
import type { BlindResultsDto } from '@/lib/schemas/review';
import { blindResultsAction, revealGalleryAction, setGalleryModeAction } from '@/lib/server/review/actions';
import { PanelDialog, unwrap } from '../review/panel-dialog';
import { Button } from '../ui/button';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Blind comparison for the designer: turn it on (reviewers then see shuffled pairs with the
 * provider and model hidden and vote), read win rates per target with the votes behind them
 * and a 95 % Wilson interval, and reveal which image was which.
 */
export function BlindPanel({ galleryId }: { galleryId: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();
  const router = useRouter();
  const results = useQuery({
    queryKey: reviewKeys.blind(galleryId),
    queryFn: () => unwrap(blindResultsAction({ galleryId })),
    // Votes come in from reviewers' phones: keep the open panel current.
    refetchInterval: open ? 5000 : false,
  });
  const data = results.data;
  const blind = data?.mode === 'blind';

  const apply = async (p: Promise<{ ok: true; data: BlindResultsDto } | { ok: false; error: { message: string } }>) => {
    const r = await p;
    if (!r.ok) return setError(r.error.message);
    setError(null);
    qc.setQueryData(reviewKeys.blind(galleryId), r.data);
    router.refresh();
  };

  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)} aria-haspopup="dialog">
        <EyeOff size={12} aria-hidden /> {blind ? `Blind comparison · ${data?.totalVotes ?? 0} votes` : 'Blind comparison'}
      </Button>
      <PanelDialog open={open} onClose={() => setOpen(false)} title="Blind comparison">
        <p className="text-sm text-muted">
          Reviewers see pairs of images from different providers or models, with names hidden and sides shuffled, and pick the better one or
          “Same”. Best for outputs of one instruction across several targets.
        </p>
        {results.error && (
          <p role="alert" className="text-sm text-danger">
            {results.error.message}
          </p>
        )}
        {data && (
          <>
            {data.warnings.length > 0 && (
              <ul aria-label="Warnings" className="space-y-1 rounded-lg border border-amber-500/40 bg-amber-500/10 p-3 text-sm text-ink">
                {data.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
            <div className="flex flex-wrap items-center gap-2">
              {blind ? (
                <Button onClick={() => apply(setGalleryModeAction({ galleryId, mode: 'standard' }))}>Back to a normal review</Button>
              ) : (
                <Button variant="primary" onClick={() => apply(setGalleryModeAction({ galleryId, mode: 'blind' }))}>
                  Make it a blind comparison
                </Button>
              )}
              {blind && !data.revealedAt && (
                <Button variant="primary" onClick={() => apply(revealGalleryAction({ galleryId }))}>
                  Reveal
                </Button>
              )}
              {data.revealedAt && (
                <span className="text-sm text-muted">Revealed {new Date(data.revealedAt).toLocaleString()}; voting closed.</span>
              )}
            </div>
            <WinRates data={data} />
          </>
        )}
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
      </PanelDialog>
    </>
  );
}

function WinRates({ data }: { data: BlindResultsDto }) {
  if (data.totalVotes === 0) return <p className="text-sm text-muted">No votes yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="mb-2 text-left text-xs text-muted">
          Win rates from {data.totalVotes} vote{data.totalVotes === 1 ? '' : 's'} by {data.reviewers} reviewer
          {data.reviewers === 1 ? '' : 's'}. “Same” counts as half a win for both; 95% Wilson interval.
        </caption>
        <thead className="text-xs text-muted">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              Provider / model
            </th>
            <th scope="col" className="px-2 font-medium">
              Win rate
            </th>
            <th scope="col" className="px-2 font-medium">
              95% CI
            </th>
            <th scope="col" className="px-2 font-medium">
              Votes
            </th>
            <th scope="col" className="whitespace-nowrap pl-2 font-medium">
              W / T / L
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {data.scores.map((s) => (
            <tr key={s.target}>
              <th scope="row" className="py-1.5 pr-2 font-medium">
                {s.target}
              </th>
              <td className="px-2 tabular-nums">
                <div className="flex items-center gap-2">
                  {pct(s.rate)}
                  <span aria-hidden className="relative h-1.5 w-16 rounded bg-raised">
                    <span className="absolute inset-y-0 rounded bg-accent/40" style={{ left: pct(s.low), width: pct(s.high - s.low) }} />
                    <span className="absolute inset-y-[-2px] w-0.5 bg-accent" style={{ left: pct(s.rate) }} />
                  </span>
                </div>
              </td>
              <td className="whitespace-nowrap px-2 tabular-nums text-muted">
                {pct(s.low)}–{pct(s.high)}
              </td>
              <td className="px-2 tabular-nums">{s.votes}</td>
              <td className="whitespace-nowrap pl-2 tabular-nums text-muted">
                {s.wins} / {s.ties} / {s.losses}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
