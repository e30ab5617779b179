'use client';

import { Layers } from 'lucide-react';
import { useState } from 'react';
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
  const save = async (optimistic: () => void, rollback: () => void, call: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    optimistic();
    const r = await call().catch(() => ({ ok: false, error: { message: 'the server did not answer' } }));
    if (!r.ok) {
      rollback();
      toast({ tone: 'error', message: `Not saved: ${r.error?.message}` });
    }
  };
  return (
    <div className="space-y-2 rounded-lg border border-line bg-panel p-3">
      <div className="flex items-center gap-2">
        <StarToggle
          starred={starred}
          label={`Star ${label}`}
          onToggle={() => save(() => setStarred(!starred), () => setStarred(starred), () => starAction({ kind: 'variation', ids: [variation.id], starred: !starred }))}
        />
        <Rating
          value={rating}
          label={`Rate ${label}`}
          onChange={(next) => save(() => setRatingState(next), () => setRatingState(rating), () => rateAction({ kind: 'variation', ids: [variation.id], rating: next }))}
        />
        {variation.assetId && (
          <Button
            size="sm"
            className="ml-auto"
            onClick={async () => {
              const r = await addToTrayAction({ items: [{ assetId: variation.assetId!, variationId: variation.id }] });
              toast(r.ok ? { message: 'Added to the compare tray.' } : { tone: 'error', message: r.error.message });
            }}
          >
            <Layers size={12} aria-hidden /> Add to tray
          </Button>
        )}
      </div>
      <NoteField
        label={`Note on ${label}`}
        value={variation.note}
        onSave={(note) => save(() => {}, () => {}, () => noteAction({ kind: 'variation', id: variation.id, note }))}
      />
    </div>
  );
}
