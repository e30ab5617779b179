import Link from 'next/link';
import { cn } from '@/lib/cn';
import type { Verdict, VariationReviewEntry } from '@/lib/schemas/gallery';

const VERDICT: Record<Verdict, { text: string; tone: string }> = {
  approve: { text: 'Approved', tone: 'text-emerald-600 dark:text-emerald-400' },
  reject: { text: 'Rejected', tone: 'text-red-600 dark:text-red-400' },
  changes: { text: 'Requested changes', tone: 'text-amber-600 dark:text-amber-400' },
};

/** Every verdict and comment reviewers gave this image, in any gallery, newest first (each change kept). */
export function VariationReviews({ entries }: { entries: VariationReviewEntry[] }) {
  return (
    <section aria-label="Reviews" className="rounded-lg border border-line bg-panel p-3 text-sm">
      <h2 className="mb-1.5 text-xs font-medium text-muted">Reviews</h2>
      {entries.length === 0 ? (
        <p className="text-xs text-faint">No reviews yet. Add it to a gallery and share the gallery to collect verdicts.</p>
      ) : (
        <ol className="max-h-80 space-y-2 overflow-y-auto">
          {entries.map((e) => (
            <li key={e.id} className="border-l-2 border-line pl-2.5">
              <p className="flex flex-wrap items-baseline gap-x-1.5">
                <span className="font-medium">{e.reviewerName}</span>
                {e.kind === 'verdict' && e.verdict ? (
                  <span className={cn('text-xs font-medium', VERDICT[e.verdict].tone)}>{VERDICT[e.verdict].text}</span>
                ) : (
                  <span className="text-xs text-muted">commented</span>
                )}
                <span className="text-xs text-faint">
                  in{' '}
                  <Link href={`/galleries/${e.galleryId}`} className="underline-offset-2 hover:underline">
                    {e.galleryTitle}
                  </Link>{' '}
                  · <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                </span>
              </p>
              {e.text && <p className="mt-0.5 whitespace-pre-line text-ink">{e.text}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
