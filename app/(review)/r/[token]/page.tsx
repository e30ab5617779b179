import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { ReviewApp } from '@/components/review/review-app';
import { StatusPage } from '@/components/ui/status-page';
import { nextBlindPair, reviewPage } from '@/lib/server/review/review-read';
import { decodeReviewer, REVIEWER_COOKIE } from '@/lib/server/review/reviewer-cookie';
import { resolveShare } from '@/lib/server/review/viewer';

export const metadata: Metadata = { title: 'Review · Proofsheet', robots: { index: false, follow: false } };

/**
 * A shared gallery, for a reviewer without an account: the token is the only key, and it opens
 * this gallery and nothing else. Revoked and expired links say so; an unknown one is a 404.
 */
export default async function ReviewPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const share = await resolveShare(token);
  if (share.state === 'not_found') notFound();
  if (share.state === 'revoked')
    return (
      <StatusPage title="This review link was revoked">
        <p>The designer has withdrawn this link. Ask them for a new one if you still need to review these images.</p>
      </StatusPage>
    );
  if (share.state === 'expired')
    return (
      <StatusPage title="This review link has expired">
        <p>Review links last as long as the designer chose. Ask them for a new one.</p>
      </StatusPage>
    );
  if (share.state !== 'active') notFound();
  const reviewer = decodeReviewer((await cookies()).get(REVIEWER_COOKIE)?.value);
  const base = `/api/review/${token}`;
  const data = await reviewPage(share.ctx, { base, reviewerId: reviewer?.reviewerId ?? null });
  const pair =
    data.mode === 'blind' && !data.revealed ? await nextBlindPair(share.ctx, { base, reviewerId: reviewer?.reviewerId ?? null }) : null;
  return <ReviewApp base={base} data={{ ...data, expiresAt: share.expiresAt?.toISOString() ?? null }} pair={pair} reviewer={reviewer} />;
}
