'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { type CommentDto, REVIEW_LIMITS, type ReviewerDto } from '@/lib/schemas/review';
import { Button } from '../ui/button';
import { reviewPost } from './review-api';

/** Comments on the gallery as a whole (item comments travel with verdicts). */
export function GalleryComments({ base, comments, reviewer }: { base: string; comments: CommentDto[]; reviewer: ReviewerDto | null }) {
  const router = useRouter();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const general = comments.filter((c) => c.itemId === null);
  return (
    <section aria-labelledby={`${id}-h`} className="space-y-3">
      <h2 id={`${id}-h`} className="text-sm font-semibold text-ink">
        Comments on the gallery
      </h2>
      {general.length === 0 ? (
        <p className="text-sm text-muted">No comments yet.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {general.map((c) => (
            <li key={c.id} className="rounded-md border border-line bg-panel px-3 py-2">
              <span className="font-medium text-ink">{c.reviewerName}</span>{' '}
              <time dateTime={c.createdAt} className="text-xs text-faint">
                {new Date(c.createdAt).toLocaleString()}
              </time>
              <p className="mt-0.5 whitespace-pre-wrap break-words text-muted">{c.body}</p>
            </li>
          ))}
        </ul>
      )}
      {reviewer && (
        <form
          className="space-y-2"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            const result = await reviewPost(`${base}/comments`, { body });
            setBusy(false);
            if (!result.ok) return setError(result.message);
            setError(null);
            setBody('');
            router.refresh();
          }}
        >
          <label htmlFor={id} className="block text-sm font-medium text-ink">
            Gallery comment
          </label>
          <textarea
            id={id}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            maxLength={REVIEW_LIMITS.comment}
            rows={3}
            className="w-full resize-y rounded-md border border-line bg-canvas px-3 py-2 text-base text-ink sm:text-sm"
          />
          <Button type="submit" disabled={busy || body.trim() === ''}>
            Post comment
          </Button>
          {error && (
            <p role="alert" className="text-sm text-danger">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
