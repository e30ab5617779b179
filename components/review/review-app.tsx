'use client';

import type { BlindPairDto, ReviewerDto, ReviewPageDto } from '@/lib/schemas/review';
import { ThemeToggle } from '../ui/theme-toggle';
import { BlindView } from './blind-view';
import { GalleryComments } from './gallery-comments';
import { GalleryView } from './gallery-view';
import { ReviewerForm, useReviewer } from './reviewer-gate';

type Props = { base: string; data: ReviewPageDto; pair: BlindPairDto; reviewer: ReviewerDto | null };

/** The reviewer's whole page: no studio chrome, one gallery, read-only but for verdicts, comments and votes. */
export function ReviewApp({ base, data, pair, reviewer: initial }: Props) {
  const { reviewer, save, forget } = useReviewer(base, initial);
  const hidden = data.mode === 'blind' && !data.revealed;
  return (
    <main className="mx-auto max-w-7xl space-y-5 px-3 py-4 sm:px-6 sm:py-6">
      <header className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1 basis-72">
          <p className="text-xs font-medium tracking-wide text-faint uppercase">{hidden ? 'Blind comparison' : 'Review'}</p>
          <h1 className="text-xl font-semibold tracking-tight text-ink sm:text-2xl">{data.title}</h1>
          {data.description && <p className="mt-1 max-w-prose whitespace-pre-wrap text-sm text-muted">{data.description}</p>}
          {data.mode === 'blind' && data.revealed && (
            <p className="mt-1 text-sm text-muted">The designer has revealed which model made each image; voting is closed.</p>
          )}
        </div>
        <div className="flex items-center gap-2 text-sm text-muted">
          {reviewer && (
            <span>
              Reviewing as <span className="font-medium text-ink">{reviewer.name}</span>{' '}
              <button type="button" onClick={forget} className="underline underline-offset-2 hover:text-ink">
                Change
              </button>
            </span>
          )}
          <ThemeToggle />
        </div>
      </header>
      {!reviewer && <ReviewerForm onSave={(name) => save(name, initial?.reviewerId)} />}
      {hidden ? (
        <BlindView base={base} pair={pair} reviewer={reviewer} />
      ) : (
        <GalleryView base={base} items={data.items} reviewer={reviewer} />
      )}
      <GalleryComments base={base} comments={data.comments} reviewer={reviewer} />
      {data.expiresAt && (
        <p className="text-xs text-faint">
          This link works until <time dateTime={data.expiresAt}>{new Date(data.expiresAt).toLocaleString()}</time>.
        </p>
      )}
    </main>
  );
}
