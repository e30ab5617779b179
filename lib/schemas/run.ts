import { z } from 'zod';
import type { VariationReview } from './gallery';
import { MAX_INSTRUCTION_LENGTH, MAX_REFERENCES, MAX_TARGETS, MAX_VARIATIONS } from './limits';

export const MAX_SEED = 2_147_483_647;

/** What the composer submits. Parsed again on the server: the client is never trusted. */
export const submitRunSchema = z.object({
  sessionId: z.string().min(1).max(64),
  instruction: z
    .string()
    .trim()
    .min(1, 'Write an instruction.')
    .max(MAX_INSTRUCTION_LENGTH, `Keep the instruction under ${MAX_INSTRUCTION_LENGTH} characters.`),
  negativePrompt: z.string().trim().max(MAX_INSTRUCTION_LENGTH).default(''),
  referenceIds: z
    .array(z.string().min(1).max(64))
    .min(1, 'Add at least one reference image.')
    .max(MAX_REFERENCES, `At most ${MAX_REFERENCES} reference images.`),
  targets: z
    .array(z.string().min(1).max(200))
    .min(1, 'Pick at least one target.')
    .max(MAX_TARGETS, `At most ${MAX_TARGETS} targets at once.`)
    .refine((t) => new Set(t).size === t.length, 'A target is listed twice.'),
  count: z.int().min(1).max(MAX_VARIATIONS),
  seed: z.int().min(0).max(MAX_SEED),
  size: z
    .string()
    .regex(/^(auto|\d{2,5}x\d{2,5})$/, 'Size must be "auto" or WIDTHxHEIGHT.')
    .default('auto'),
  format: z.enum(['png', 'jpeg']).default('png'),
  strength: z.number().min(0).max(1).optional(),
  guidance: z.number().min(0).max(30).optional(),
  /**
   * Vendor safety settings by target id (a `level` number or a `checker` on/off), only for targets
   * whose catalog entry has a `safety` control; absent: the vendor's default. Checked against the
   * catalog on the server (lib/server/safety/params.ts).
   */
  safety: z
    .record(z.string().min(1).max(200), z.union([z.int().min(0).max(10), z.boolean()]))
    .refine((r) => Object.keys(r).length <= MAX_TARGETS, 'Too many safety settings.')
    .optional(),
  parentVariationId: z.string().min(1).max(64).optional(),
  /** Set by "re-run exactly" and "tweak": the run this one repeats or varies. */
  sourceRunId: z.string().min(1).max(64).optional(),
  sourceKind: z.enum(['rerun', 'tweak']).optional(),
});
export type SubmitRunParams = z.output<typeof submitRunSchema>;

/** The parameter snapshot stored on the run: exactly what was submitted. */
export const runParamsSchema = submitRunSchema.pick({
  count: true,
  seed: true,
  size: true,
  format: true,
  strength: true,
  guidance: true,
  safety: true,
});
export type RunParams = z.infer<typeof runParamsSchema>;

const VARIATION_STATUSES = ['queued', 'submitting', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const variationStatusSchema = z.enum(VARIATION_STATUSES);
export type VariationStatus = (typeof VARIATION_STATUSES)[number];

export const adaptationSchema = z.object({ kind: z.enum(['dropped', 'stitched', 'resized', 'reencoded', 'note']), message: z.string() });

export function isTerminal(status: string): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export const assetDtoSchema = z.object({
  id: z.string().min(1).max(64),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mime: z.string().max(40),
  width: z.int().positive(),
  height: z.int().positive(),
});
export type AssetDto = z.infer<typeof assetDtoSchema>;

export type Adaptation = z.infer<typeof adaptationSchema>;

export type VariationDto = {
  id: string;
  targetId: string;
  provider: string;
  model: string;
  index: number;
  seed: number;
  status: VariationStatus;
  jobId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** A provider-side content block: the prompt/references refused, or the output withheld. */
  blockKind?: 'prompt-blocked' | 'output-blocked' | null;
  /** The vendor's id for the request, quoted in an appeal or a support ticket. */
  vendorRequestId?: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  costUsd: number | null;
  costSource: string | null;
  adaptations: Adaptation[];
  output: AssetDto | null;
  starred: boolean;
  rating: number | null;
  note: string;
  /** Reviewers' verdicts across the owner's galleries (issue 10); absent when nobody reviewed it. */
  review?: VariationReview;
};

export type RunDto = {
  id: string;
  sessionId: string;
  /** 1, 2, 3... within the session; fixed at creation. */
  number: number;
  sourceRunId: string | null;
  sourceKind: 'rerun' | 'tweak' | null;
  starred: boolean;
  rating: number | null;
  note: string;
  instruction: string;
  negativePrompt: string;
  params: RunParams;
  targets: string[];
  parentVariationId: string | null;
  createdAt: string;
  references: { position: number; asset: AssetDto }[];
  variations: VariationDto[];
};

export type RunPage = { runs: RunDto[]; nextCursor: string | null };

export function assetUrl(sha256: string, kind: 'original' | 'thumb' | 'preview'): string {
  return `/api/assets/${sha256}/${kind}`;
}
