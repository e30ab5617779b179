'use client';

import { cn } from '@/lib/cn';
import { Columns2, X } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { differingFacts, differsBySummary } from '@/lib/compare/differences';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { assetUrl } from '@/lib/schemas/run';
import { Button } from '../../ui/button';
import { IconButton } from '../../ui/icon-button';
import { FactChips } from './fact-chips';

export type CompareGridProps = {
  items: CompareCandidate[];
  onRemove?: (key: string) => void;
  /** Opens two items in the A/B workspace, A first. */
  onOpenAB?: (aKey: string, bKey: string) => void;
};

/**
 * Everything in the tray at once, each image captioned only by what sets it apart, computed
 * from the facts. Tick two (or keep a tray of exactly two) to open them in A/B.
 */
export function CompareGrid({ items, onRemove, onOpenAB }: CompareGridProps) {
  const { keys, labels } = useMemo(() => differingFacts(items), [items]);
  const headingId = useId();
  const [picked, setPicked] = useState<string[]>([]);
  // Drop picks for items removed since; the first pick is A.
  const live = picked.filter((k) => items.some((i) => i.key === k));
  const pair: [string, string] | null =
    live.length === 2 ? [live[0]!, live[1]!] : items.length === 2 && live.length === 0 ? [items[0]!.key, items[1]!.key] : null;

  const toggle = (key: string) => setPicked(live.includes(key) ? live.filter((k) => k !== key) : [...live, key].slice(-2));

  if (items.length === 0) {
    return <p className="p-6 text-sm text-muted">The compare tray is empty. Add images from any run to compare them here.</p>;
  }
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id={headingId} className="text-sm font-semibold">
          {differsBySummary(items, keys)}
        </h2>
        {onOpenAB && (
          <div className="ml-auto flex items-center gap-2">
            <span className="text-xs text-faint" aria-live="polite">
              {pair ? `A: ${label(items, pair[0])} · B: ${label(items, pair[1])}` : 'Tick two images to open them in A/B'}
            </span>
            <Button size="sm" variant="primary" disabled={!pair} onClick={() => pair && onOpenAB(pair[0], pair[1])}>
              <Columns2 size={13} aria-hidden />
              Open A/B
            </Button>
          </div>
        )}
      </div>
      <ul className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-4">
        {items.map((item) => {
          const slot = live.indexOf(item.key);
          return (
            <li key={item.key}>
              <figure className={cn('overflow-hidden rounded-lg border bg-panel', slot >= 0 ? 'border-accent' : 'border-line')}>
                <div className="checker relative aspect-square">
                  <img
                    src={assetUrl(item.asset.sha256, 'preview')}
                    alt={item.label}
                    loading="lazy"
                    className="absolute inset-0 size-full object-contain"
                  />
                  {onOpenAB && (
                    <label className="absolute left-2 top-2 flex cursor-pointer items-center gap-1 rounded bg-black/55 px-1.5 py-1 text-[11px] font-semibold text-white backdrop-blur">
                      <input
                        type="checkbox"
                        checked={slot >= 0}
                        onChange={() => toggle(item.key)}
                        aria-label={`Pick ${item.label} for A/B`}
                        className="accent-[var(--accent)]"
                      />
                      <span aria-hidden>{slot === 0 ? 'A' : slot === 1 ? 'B' : 'A/B'}</span>
                    </label>
                  )}
                  {onRemove && (
                    <IconButton
                      label={`Remove ${item.label} from tray`}
                      tone="overlay"
                      onClick={() => onRemove(item.key)}
                      className="absolute right-2 top-2"
                    >
                      <X size={14} />
                    </IconButton>
                  )}
                </div>
                <figcaption className="flex flex-col gap-1.5 p-2">
                  <span className="flex items-baseline justify-between gap-2 text-xs">
                    <span className="truncate font-medium" title={item.label}>
                      {item.label}
                    </span>
                    <span className="shrink-0 font-mono text-[11px] text-faint">
                      {item.asset.width}×{item.asset.height}
                    </span>
                  </span>
                  <FactChips labels={labels[item.key] ?? []} />
                </figcaption>
              </figure>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function label(items: CompareCandidate[], key: string): string {
  return items.find((i) => i.key === key)?.label ?? key;
}
