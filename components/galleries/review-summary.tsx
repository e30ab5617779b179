'use client';

import { useEffect, useRef } from 'react';
import { cn } from '@/lib/cn';
import type { GalleryActivity, ReviewCounts, Verdict } from '@/lib/schemas/gallery';
import { markGallerySeenAction } from '@/lib/server/actions/galleries';

type Props = { galleryId: string; review: ReviewCounts; activity: { seenAt: string | null; total: number; entries: GalleryActivity[] } };

const VERDICT_TEXT: Record<Verdict, string> = { approve: 'approved', reject: 'rejected', changes: 'requested changes on' };

/**
 * The review at a glance: counts of each reviewer's latest verdict, comments, and what came in
 * since the designer last looked. Opening the page counts as looking (marked once, on mount);
 * the list stays as it was for this visit.
 */
export function ReviewSummary({ galleryId, review, activity }: Props) {
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current) return;
    marked.current = true;
    void markGallerySeenAction({ id: galleryId });
  }, [galleryId]);

  const stats: [string, number, string][] = [
    ['Approved', review.approve, 'text-emerald-600 dark:text-emerald-400'],
    ['Rejected', review.reject, 'text-red-600 dark:text-red-400'],
    ['Changes requested', review.changes, 'text-amber-600 dark:text-amber-400'],
    ['Comments', review.comments, 'text-ink'],
  ];
  const fresh = activity.total;
  return (
    <section aria-label="Review summary" className="mt-5 rounded-xl border border-line bg-panel p-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {stats.map(([label, n, tone]) => (
          <div key={label} className="rounded-lg bg-raised px-3 py-2">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className={cn('text-xl font-semibold tabular-nums', n > 0 ? tone : 'text-faint')}>{n}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-3">
        <h2 className="text-sm font-medium">
          {fresh === 0 ? 'Nothing new since you last looked' : `${fresh} new since you last looked`}
          {activity.seenAt && <span className="font-normal text-faint"> · {new Date(activity.seenAt).toLocaleString()}</span>}
        </h2>
        {activity.entries.length > 0 && (
          <ol aria-label="New activity" className="mt-2 max-h-64 space-y-1.5 overflow-y-auto text-sm">
            {activity.entries.map((e) => (
              <li key={e.id} className="flex flex-wrap gap-x-2 border-l-2 border-line pl-2.5">
                <span className="font-medium">{e.reviewerName}</span>
                <span className="text-muted">{activityText(e)}</span>
                {e.text && e.kind !== 'vote' && <q className="w-full text-ink">{e.text}</q>}
                <time dateTime={e.at} className="text-xs text-faint">
                  {new Date(e.at).toLocaleString()}
                </time>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function activityText(e: GalleryActivity): string {
  if (e.kind === 'verdict') return `${VERDICT_TEXT[e.verdict ?? 'changes']} ${e.itemLabel ?? 'an item'}`;
  if (e.kind === 'vote') return `voted in the blind comparison: ${e.text}`;
  return e.itemLabel ? `commented on ${e.itemLabel}` : 'commented on the gallery';
}
