import { Check, MessageSquare, PencilLine, X } from 'lucide-react';
import { cn } from '@/lib/cn';
import type { ReviewCounts } from '@/lib/schemas/gallery';

/** "Review: 1 approved, 1 rejected, 2 comments": the badge's accessible name, also its tooltip. */
export function reviewLabel(r: ReviewCounts): string {
  const parts = [
    r.approve > 0 && `${r.approve} approved`,
    r.reject > 0 && `${r.reject} rejected`,
    r.changes > 0 && `${r.changes} ${r.changes === 1 ? 'change' : 'changes'} requested`,
    r.comments > 0 && `${r.comments} comment${r.comments === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return `Review: ${parts.length > 0 ? parts.join(', ') : 'no verdicts yet'}`;
}

const OVERLAY_COLOURS = { approve: 'text-emerald-300', reject: 'text-red-300', changes: 'text-amber-300' };
const PANEL_COLOURS = { approve: 'text-ok', reject: 'text-danger', changes: 'text-amber-600 dark:text-amber-400' };

/**
 * The reviewers' verdicts on a variation, as counts (each reviewer's latest verdict). Nothing
 * when nobody has reviewed it. `overlay` sits on an image; `plain` on a panel.
 */
export function ReviewBadge({
  review,
  tone = 'plain',
  className,
}: {
  review?: ReviewCounts;
  tone?: 'plain' | 'overlay';
  className?: string;
}) {
  if (!review || review.approve + review.reject + review.changes + review.comments === 0) return null;
  const label = reviewLabel(review);
  // Over an image the pill is dark: the light shades keep the counts readable (the 500s were ~1.5:1 there).
  const colour = tone === 'overlay' ? OVERLAY_COLOURS : PANEL_COLOURS;
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-1.5 py-0.5 text-[11px] font-medium leading-none tabular-nums',
        tone === 'overlay' ? 'bg-black/70 text-white' : 'border border-line bg-raised text-ink',
        className,
      )}
    >
      {review.approve > 0 && (
        <span className={cn('inline-flex items-center gap-0.5', colour.approve)} aria-hidden>
          <Check size={11} strokeWidth={3} />
          {review.approve}
        </span>
      )}
      {review.reject > 0 && (
        <span className={cn('inline-flex items-center gap-0.5', colour.reject)} aria-hidden>
          <X size={11} strokeWidth={3} />
          {review.reject}
        </span>
      )}
      {review.changes > 0 && (
        <span className={cn('inline-flex items-center gap-0.5', colour.changes)} aria-hidden>
          <PencilLine size={11} />
          {review.changes}
        </span>
      )}
      {review.comments > 0 && (
        <span className="inline-flex items-center gap-0.5" aria-hidden>
          <MessageSquare size={11} />
          {review.comments}
        </span>
      )}
    </span>
  );
}
