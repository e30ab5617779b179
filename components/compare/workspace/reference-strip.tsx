'use client';

import { cn } from '@/lib/cn';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { assetUrl } from '@/lib/schemas/run';

/** The references stay in view; clicking one pins it as A. */
export function ReferenceStrip({
  references,
  aKey,
  onPin,
}: {
  references: CompareCandidate[];
  aKey: string;
  onPin: (key: string) => void;
}) {
  if (references.length === 0) return null;
  return (
    <section aria-label="References" className="flex items-center gap-2 overflow-x-auto">
      <h3 className="shrink-0 text-[11px] font-medium uppercase tracking-wide text-faint">References</h3>
      <ul className="flex gap-2 p-1.5">
        {references.map((r, i) => {
          const pinned = r.key === aKey;
          return (
            <li key={r.key} className="relative">
              <button
                type="button"
                aria-pressed={pinned}
                title={pinned ? `${r.label} is A` : `Pin ${r.label} as A`}
                onClick={() => onPin(r.key)}
                className={cn(
                  'checker block size-14 overflow-hidden rounded-md border-2',
                  pinned ? 'border-accent' : 'border-transparent hover:border-line',
                )}
              >
                <img
                  src={assetUrl(r.asset.sha256, 'thumb')}
                  alt={`Reference ${i + 1}`}
                  className="size-full object-contain"
                  draggable={false}
                />
              </button>
              {pinned && (
                <span aria-hidden className="absolute -right-1 -top-1 rounded bg-accent px-1 text-[10px] font-semibold text-accent-ink">
                  A
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
