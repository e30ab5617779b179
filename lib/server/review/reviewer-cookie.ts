import 'server-only';
import { randomBytes } from 'node:crypto';
import { REVIEW_LIMITS, type ReviewerDto, reviewerIdSchema } from '@/lib/schemas/review';

/**
 * Who is reviewing on this device: a random id made by the server and the name they gave,
 * in one cookie (the page also keeps a copy in localStorage to restore a cleared cookie). It
 * is a label, not a credential: anyone with the link may review, and the link is the secret.
 */
export const REVIEWER_COOKIE = 'proofsheet_reviewer';
const ONE_YEAR_S = 365 * 24 * 60 * 60;

export function newReviewerId(): string {
  return randomBytes(16).toString('base64url');
}

export function encodeReviewer(r: ReviewerDto): string {
  return `${r.reviewerId}.${Buffer.from(r.name, 'utf8').toString('base64url')}`;
}

export function decodeReviewer(value: string | undefined): ReviewerDto | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  if (dot < 0) return null;
  const reviewerId = value.slice(0, dot);
  if (!reviewerIdSchema.safeParse(reviewerId).success) return null;
  const name = Buffer.from(value.slice(dot + 1), 'base64url')
    .toString('utf8')
    .trim();
  if (!name || name.length > REVIEW_LIMITS.name) return null;
  return { reviewerId, name };
}

export function reviewerFromCookieHeader(header: string | null): ReviewerDto | null {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REVIEWER_COOKIE) return decodeReviewer(part.slice(eq + 1).trim());
  }
  return null;
}

export function reviewerSetCookie(r: ReviewerDto, secure: boolean): string {
  return `${REVIEWER_COOKIE}=${encodeReviewer(r)}; Path=/; Max-Age=${ONE_YEAR_S}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
