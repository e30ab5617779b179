'use client';

import { Layers } from 'lucide-react';
import { useState } from 'react';
import { gridKeys, runKeys, trayKeys } from '@/lib/client/query-keys';
import { useOptimisticAction } from '@/lib/client/use-optimistic-action';
import { addToTrayAction, noteAction, rateAction, starAction } from '@/lib/server/actions/history';
import { NoteField } from '../studio/run-card';
import { Button } from '../ui/button';
import { Rating } from '../ui/rating';
import { StarToggle } from '../ui/star-toggle';
import { useToast } from '../ui/toaster';

type Props = { variation: { id: string; starred: boolean; rating: number | null; note: string; assetId: string | null }; label: string };

/** Star, rating and note of one variation, saved at once and rolled back if refused. */
export function VariationEdits({ variation, label }: Props) {
  const toast = useToast();
  const [starred, setStarred] = useState(variation.starred);
  const [rating, setRatingState] = useState(variation.rating);
  const ids = [variation.id];
  // The session's feed and grid (cached if visited) show these too.
  const stale = () => [runKeys.all, gridKeys.all];
  const star = useOptimisticAction({
    action: (next: boolean) => starAction({ kind: 'variation', ids, starred: next }),
    optimistic: (next) => [{ apply: () => setStarred(next), rollback: () => setStarred(!next) }],
    invalidate: stale,
  });
  const rate = useOptimisticAction({
    action: ({ next }: { next: number | null; before: number | null }) => rateAction({ kind: 'variation', ids, rating: next }),
    optimistic: ({ next, before }) => [{ apply: () => setRatingState(next), rollback: () => setRatingState(before) }],
    invalidate: stale,
  });
  const note = useOptimisticAction({
    action: (text: string) => noteAction({ kind: 'variation', id: variation.id, note: text }),
    invalidate: stale,
  });
  const tray = useOptimisticAction({
    action: (assetId: string) => addToTrayAction({ items: [{ assetId, variationId: variation.id }] }),
    invalidate: () => [trayKeys.all],
    failurePrefix: '',
    onSaved: () => toast({ message: 'Added to the compare tray.' }),
  });
  return (
    <div className="space-y-2 rounded-lg border border-line bg-panel p-3">
      <div className="flex items-center gap-2">
        <StarToggle starred={starred} label={`Star ${label}`} onToggle={() => void star.run(!starred)} />
        <Rating value={rating} label={`Rate ${label}`} onChange={(next) => void rate.run({ next, before: rating })} />
        {variation.assetId && (
          <Button size="sm" className="ml-auto" onClick={() => void tray.run(variation.assetId!)}>
            <Layers size={12} aria-hidden /> Add to tray
          </Button>
        )}
      </div>
      <NoteField label={`Note on ${label}`} value={variation.note} onSave={(text) => void note.run(text)} />
    </div>
  );
}
