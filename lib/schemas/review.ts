import { z } from 'zod';

/**
 * Share links, reviewer verdicts and comments, and blind votes: the inputs (zod) and the DTOs
 * the review page and the designer's panels receive. Client-safe. Nothing here names a
 * session, run, variation or asset: a viewer only ever sees gallery item ids.
 */

export const REVIEW_LIMITS = { name: 80, comment: 2000 } as const;

/** How long a new link lives; `never` leaves expiresAt empty. */
export const SHARE_EXPIRY = ['1d', '7d', '30d', 'never'] as const;
export type ShareExpiry = (typeof SHARE_EXPIRY)[number];
export const SHARE_EXPIRY_LABEL: Record<ShareExpiry, string> = { '1d': '1 day', '7d': '7 days', '30d': '30 days', never: 'Never' };

const id = z.string().min(1).max(64);

export const galleryRefSchema = z.object({ galleryId: id });
export const createShareSchema = z.object({ galleryId: id, expiresIn: z.enum(SHARE_EXPIRY).default('7d') });
export const revokeShareSchema = z.object({ shareId: id });
export const setGalleryModeSchema = z.object({ galleryId: id, mode: z.enum(['standard', 'blind']) });

export type ShareLinkState = 'active' | 'revoked' | 'expired';

export type ShareLinkDto = {
  id: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: ShareLinkState;
};

/** Returned once, when the link is made: the token itself is never stored, so never shown again. */
export type CreatedShareDto = { link: ShareLinkDto; url: string };

export const VERDICTS = ['approve', 'reject', 'changes'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LABEL: Record<Verdict, string> = { approve: 'Approved', reject: 'Rejected', changes: 'Changes requested' };

const reviewerName = z
  .string()
  .trim()
  .min(1, 'Give a name so the designer knows who reviewed.')
  .max(REVIEW_LIMITS.name, `A name has at most ${REVIEW_LIMITS.name} characters.`);
const commentText = z.string().trim().max(REVIEW_LIMITS.comment, `A comment has at most ${REVIEW_LIMITS.comment} characters.`);

/** A device's reviewer id: 16 random bytes, base64url (made by the server, kept in a cookie). */
export const reviewerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const reviewerSchema = z.object({ name: reviewerName, reviewerId: reviewerIdSchema.optional() });
export const verdictSchema = z.object({ itemId: id, verdict: z.enum(VERDICTS), comment: commentText.default('') });
export const commentSchema = z.object({
  itemId: id.optional(),
  body: commentText.min(1, 'Write a comment first.'),
});
export const voteSchema = z.object({ leftId: id, rightId: id, choice: z.enum(['left', 'right', 'same']) });

export type ReviewerDto = { reviewerId: string; name: string };

export type VerdictDto = { reviewerId: string; reviewerName: string; verdict: Verdict; comment: string; createdAt: string };
/** A verdict as a reviewer sees it: other devices' ids stay on the server (a cookie with one would speak for them). */
export type ViewerVerdictDto = Omit<VerdictDto, 'reviewerId'> & { mine: boolean };
export type CommentDto = { id: string; itemId: string | null; reviewerName: string; body: string; createdAt: string };

/** One image as a viewer sees it: URLs go through the token; no ids from outside the gallery. */
export type ReviewItemDto = {
  id: string;
  /** 1-based position, the only name an item has in blind mode. */
  number: number;
  caption: string;
  previewUrl: string;
  /** Absent in an unrevealed blind comparison (originals may carry a vendor's metadata). */
  originalUrl: string | null;
  /** "Model (Provider)"; null while a blind comparison is unrevealed. */
  target: string | null;
  details: { instruction: string; negativePrompt: string; references: { url: string; label: string }[] } | null;
  /** The current verdict of each reviewer (their latest row). */
  verdicts: ViewerVerdictDto[];
};

export type ReviewPageDto = {
  title: string;
  description: string;
  mode: 'standard' | 'blind';
  revealed: boolean;
  items: ReviewItemDto[];
  comments: CommentDto[];
  expiresAt: string | null;
};

export type BlindPairDto = { left: ReviewItemDto; right: ReviewItemDto; votedByYou: number; remaining: number } | null;

/** Win rates: "same" counts half a win for each side (see lib/server/review/blind-math.ts). */
export type TargetScoreDto = {
  target: string;
  items: number;
  votes: number;
  wins: number;
  ties: number;
  losses: number;
  /** (wins + ties / 2) / votes; 0 with no votes. */
  rate: number;
  /** The 95 % Wilson interval around `rate`. */
  low: number;
  high: number;
};

export type BlindResultsDto = {
  mode: 'standard' | 'blind';
  revealedAt: string | null;
  totalVotes: number;
  reviewers: number;
  scores: TargetScoreDto[];
  /** Why the gallery may not suit a blind comparison (one target, several instructions). */
  warnings: string[];
};

export type ReviewActivityDto = {
  items: { id: string; number: number; caption: string; verdicts: VerdictDto[] }[];
  comments: CommentDto[];
  counts: Record<Verdict, number>;
};
