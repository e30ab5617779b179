'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { BlindPairDto, ReviewerDto } from '@/lib/schemas/review';
import { Button } from '../ui/button';
import { ItemDetails } from './item-details';
import { reviewPost } from './review-api';

/**
 * A blind pair: two images from different models, positions shuffled by the server, nothing on
 * the page or in its data says which is which. One vote per pair; the next pair follows.
 */
export function BlindView({ base, pair, reviewer }: { base: string; pair: BlindPairDto; reviewer: ReviewerDto | null }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [details, setDetails] = useState(false);

  if (!pair)
    return (
      <p role="status" className="rounded-lg border border-line bg-panel px-4 py-8 text-center text-sm text-muted">
        {reviewer ? 'You have compared every pair. Thank you!' : 'No pairs to compare yet.'}
      </p>
    );

  const vote = async (choice: 'left' | 'right' | 'same') => {
    setBusy(true);
    const result = await reviewPost(`${base}/votes`, { leftId: pair.left.id, rightId: pair.right.id, choice });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setError(null);
    router.refresh();
  };

  return (
    <section aria-label="Blind comparison" className="space-y-3">
      <p className="text-sm text-muted">
        Which image answers the brief better? The models are hidden and the sides are shuffled.{' '}
        <span className="tabular-nums">
          {pair.votedByYou} done, {pair.remaining} to go.
        </span>
      </p>
      <div className="grid grid-cols-2 gap-2 sm:gap-4">
        {(
          [
            ['Left', pair.left],
            ['Right', pair.right],
          ] as const
        ).map(([side, item]) => (
          <figure key={item.id} className="min-w-0">
            <div className="checker flex aspect-square items-center justify-center overflow-hidden rounded-lg sm:aspect-[4/3]">
              <img src={item.previewUrl} alt={`${side} of the pair`} className="size-full object-contain" draggable={false} />
            </div>
            <figcaption className="mt-1 text-center text-sm font-medium text-ink">{side}</figcaption>
          </figure>
        ))}
      </div>
      {reviewer && (
        <div className="grid grid-cols-3 gap-2">
          <Button variant="primary" disabled={busy} onClick={() => vote('left')} className="h-11">
            Left is better
          </Button>
          <Button disabled={busy} onClick={() => vote('same')} className="h-11">
            Same
          </Button>
          <Button variant="primary" disabled={busy} onClick={() => vote('right')} className="h-11">
            Right is better
          </Button>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      {pair.left.details && (
        <>
          <Button size="sm" aria-expanded={details} onClick={() => setDetails((d) => !d)}>
            Details
          </Button>
          {details && <ItemDetails details={pair.left.details} />}
        </>
      )}
    </section>
  );
}
