import clsx from 'clsx';
import { Fragment } from 'react';
import type { FactLabel } from '@/lib/compare/differences';
import { plainSnippet } from '@/lib/compare/word-diff';

/** Renders a snippet's `**differing words**` in bold; the rest stays plain text. */
export function Emphasised({ text }: { text: string }) {
  return (
    <>
      {text.split('**').map((part, i) =>
        i % 2 === 1 ? (
          <strong key={i} className="font-semibold text-ink">
            {part}
          </strong>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** Small "provider: fal" chips, one per differing fact. */
export function FactChips({ labels, className }: { labels: FactLabel[]; className?: string }) {
  if (labels.length === 0) return null;
  return (
    <ul className={clsx('flex flex-wrap gap-1', className)} aria-label="Differing facts">
      {labels.map((l) => (
        <li
          key={l.fact}
          title={`${l.fact}: ${plainSnippet(l.value)}`}
          className="max-w-full truncate rounded bg-raised px-1.5 py-0.5 text-[11px] leading-4 text-muted"
        >
          <span className="text-faint">{l.fact}:</span> <Emphasised text={l.value} />
        </li>
      ))}
    </ul>
  );
}
