'use client';

import { Check, MessageSquareWarning, X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { cn } from '@/lib/cn';
import { REVIEW_LIMITS, type ReviewerDto, type ReviewItemDto, VERDICT_LABEL, type Verdict } from '@/lib/schemas/review';
import { reviewPost } from './review-api';

// A pressed button's text takes the canvas colour: white on the dark theme's light red and green was ~2:1.
const BUTTONS: { verdict: Verdict; label: string; icon: typeof Check; tone: string }[] = [
  { verdict: 'approve', label: 'Approve', icon: Check, tone: 'aria-pressed:bg-ok aria-pressed:text-canvas aria-pressed:border-ok' },
  {
    verdict: 'changes',
    label: 'Request changes',
    icon: MessageSquareWarning,
    tone: 'aria-pressed:bg-accent aria-pressed:text-accent-ink aria-pressed:border-accent',
  },
  { verdict: 'reject', label: 'Reject', icon: X, tone: 'aria-pressed:bg-danger aria-pressed:text-canvas aria-pressed:border-danger' },
];

export const VERDICT_TONE: Record<Verdict, string> = { approve: 'text-ok', reject: 'text-danger', changes: 'text-accent' };

/** Per item: the reviewer's verdict with an optional comment, and everyone's current verdicts. */
export function VerdictPanel({ base, item, reviewer }: { base: string; item: ReviewItemDto; reviewer: ReviewerDto | null }) {
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const commentId = useId();
  const mine = reviewer ? item.verdicts.find((v) => v.mine) : undefined;

  const send = async (verdict: Verdict) => {
    setBusy(true);
    setMessage(null);
    const result = await reviewPost(`${base}/verdicts`, { itemId: item.id, verdict, comment });
    setBusy(false);
    if (!result.ok) return setMessage({ error: true, text: result.message });
    setComment('');
    setMessage({ error: false, text: `Saved: ${VERDICT_LABEL[verdict]}.` });
    router.refresh();
  };

  return (
    <section aria-label="Your verdict" className="space-y-3">
      {reviewer && (
        <>
          <div>
            <label htmlFor={commentId} className="block text-sm font-medium text-ink">
              Comment
            </label>
            <textarea
              id={commentId}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={REVIEW_LIMITS.comment}
              rows={2}
              placeholder="Optional: what to keep, what to change"
              className="mt-1 w-full resize-y rounded-md border border-line bg-canvas px-3 py-2 text-base text-ink sm:text-sm"
            />
          </div>
          <div className="grid grid-cols-3 gap-2">
            {BUTTONS.map(({ verdict, label, icon: Icon, tone }) => (
              <button
                key={verdict}
                type="button"
                disabled={busy}
                aria-pressed={mine?.verdict === verdict}
                onClick={() => send(verdict)}
                className={cn(
                  'flex min-h-11 flex-col items-center justify-center gap-0.5 rounded-md border border-line bg-panel px-1 text-xs font-medium text-ink hover:bg-raised disabled:opacity-50 sm:flex-row sm:gap-1.5 sm:text-sm',
                  tone,
                )}
              >
                <Icon size={16} aria-hidden />
                {label}
              </button>
            ))}
          </div>
          {message && (
            <p role={message.error ? 'alert' : 'status'} className={cn('text-sm', message.error ? 'text-danger' : 'text-muted')}>
              {message.text}
            </p>
          )}
        </>
      )}
      {item.verdicts.length > 0 && (
        <ul aria-label="Verdicts" className="space-y-1.5 text-sm">
          {item.verdicts.map((v) => (
            <li key={`${v.reviewerName}-${v.createdAt}`} className="rounded-md bg-raised px-2.5 py-1.5">
              <span className="font-medium text-ink">{v.reviewerName}</span>{' '}
              <span className={cn('font-medium', VERDICT_TONE[v.verdict])}>{VERDICT_LABEL[v.verdict]}</span>{' '}
              <time dateTime={v.createdAt} className="text-xs text-faint">
                {new Date(v.createdAt).toLocaleString()}
              </time>
              {v.comment && <p className="mt-0.5 whitespace-pre-wrap break-words text-muted">{v.comment}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
