'use client';

import { History, Undo2, X } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import type { ProvenanceOffer as Offer } from '@/lib/schemas/export';
import type { ComposerValues } from './composer';
import { useStudio } from './studio';
import { Button } from '../ui/button';
import { IconButton } from '../ui/icon-button';

/**
 * Drop-back (issue 10): a reference that was exported from Proofsheet says where it came
 * from. Offers to open its history entry (when it is in this workspace) or to reuse its
 * settings in the composer: instruction, negative prompt, target, seed and parameters.
 */
export function ProvenanceOffer() {
  const { refs, composer, targets } = useStudio();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [reused, setReused] = useState<string | null>(null);
  const item = refs.items.findLast((i) => i.provenance && !dismissed.has(i.key));
  if (!item?.provenance) return null;
  const p = item.provenance;
  const usable = targets.some((t) => t.id === p.targetId && t.configured);

  const reuse = () => {
    composer.patch(settingsFrom(p, usable));
    setReused(item.key);
    document.getElementById('instruction')?.focus();
  };

  return (
    <section
      aria-label="Image from Proofsheet"
      className="space-y-2 rounded-md border border-accent/40 bg-accent/10 px-2.5 py-2 text-xs text-ink"
    >
      <div className="flex items-start gap-2">
        <p className="min-w-0 flex-1">
          <span className="font-medium">“{item.name}” was made in Proofsheet</span> with {p.provider} · {p.model}, seed {p.seed}:{' '}
          <span className="text-muted">“{p.instruction.length > 140 ? `${p.instruction.slice(0, 140)}…` : p.instruction}”</span>
        </p>
        <IconButton label="Dismiss the offer" className="size-5" onClick={() => setDismissed((d) => new Set(d).add(item.key))}>
          <X size={12} />
        </IconButton>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {p.known ? (
          <Link
            href={`/v/${encodeURIComponent(p.variationId)}`}
            className="inline-flex h-7 items-center gap-1.5 rounded-md border border-line bg-panel px-2.5 font-medium hover:bg-raised"
          >
            <History size={12} aria-hidden /> Open its history entry
          </Link>
        ) : (
          <span className="text-muted">Its history entry is not in this workspace.</span>
        )}
        <Button size="sm" onClick={reuse}>
          <Undo2 size={12} aria-hidden /> Reuse its settings
        </Button>
      </div>
      {reused === item.key && (
        <p role="status" className="text-muted">
          Settings filled in{usable ? '' : ` (its target ${p.targetId} is not set up here, so targets were left as they were)`}.
        </p>
      )}
    </section>
  );
}

/** The composer fields the file's parameters name; anything missing or odd is left alone. */
function settingsFrom(p: Offer, usable: boolean): Partial<ComposerValues> {
  const out: Partial<ComposerValues> = { instruction: p.instruction, negativePrompt: p.negativePrompt, seed: p.seed, keepSeed: true };
  const { count, size, format, strength, guidance } = p.parameters;
  if (typeof count === 'number' && Number.isInteger(count) && count >= 1) out.count = count;
  if (typeof size === 'string') out.size = size;
  if (format === 'png' || format === 'jpeg') out.format = format;
  if (typeof strength === 'number') out.strength = strength;
  if (typeof guidance === 'number') out.guidance = guidance;
  if (usable) out.targets = [p.targetId];
  return out;
}
