import { cn } from '@/lib/cn';
import { Fragment } from 'react';
import type { FactLabel } from '@/lib/compare/differences';
import { plainSnippet } from '@/lib/compare/word-diff';

/** Renders a snippet's `**differing words**` in bold; the rest stays plain text. */
function Emphasised({ text }: { text: string }) {
  // Each part is keyed by where it starts in `text`: stable for a given text, unlike a bare index.
  let at = 0;
  const parts = text.split('**').map((part, i) => {
    const start = at;
    at += part.length + 2;
    return { part, start, bold: i % 2 === 1 };
  });
  return (
    <>
      {parts.map(({ part, start, bold }) =>
        bold ? (
          <strong key={start} className="font-semibold text-ink">
            {part}
          </strong>
        ) : (
          <Fragment key={start}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** Small "provider: fal" chips, one per differing fact. */
export function FactChips({ labels, className }: { labels: FactLabel[]; className?: string }) {
  if (labels.length === 0) return null;
  return (
    <ul className={cn('flex flex-wrap gap-1', className)} aria-label="Differing facts">
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
