import { z } from 'zod';
import { MAX_INSTRUCTION_LENGTH } from './limits';

/**
 * Export with provenance (issue 10): what a zip's `manifest.json` holds, what is embedded in
 * each exported image, and what an upload says when it recognises an exported image.
 * Client-safe: the composer's drop-back offer reads `ProvenanceOffer`.
 */

/** Bumped when a field changes meaning or disappears; new optional fields keep the version. */
export const PROVENANCE_VERSION = 1;
export const MANIFEST_VERSION = 1;

/** The most variations one selection export takes (its ids travel in a GET query string). */
export const MAX_EXPORT_SELECTION = 300;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const id = z.string().min(1).max(64);
const text = z.string().max(MAX_INSTRUCTION_LENGTH);

/** Run.params as stored: loose on purpose, so a payload from a later version still reads. */
const parametersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/**
 * The compact JSON embedded in each exported image (PNG iTXt `proofsheet` and XMP; JPEG and
 * WebP XMP). Enough to find the variation again, or to redo it elsewhere.
 */
export const provenancePayloadSchema = z.object({
  proofsheet: z.literal(PROVENANCE_VERSION),
  variationId: id,
  runId: id,
  sessionId: id,
  instruction: text,
  negativePrompt: text.default(''),
  provider: z.string().max(100),
  model: z.string().max(200),
  targetId: z.string().max(200),
  seed: z.int(),
  parameters: parametersSchema,
  /** sha256 of the run's references, in order ("Image 1" first). */
  references: z.array(sha).max(16),
  parentVariationId: id.nullable(),
  /** sha256 of the output as the provider returned it (before anything was embedded). */
  outputSha256: sha,
});
export type ProvenancePayload = z.output<typeof provenancePayloadSchema>;

/**
 * `?check=1`: answer `ExportCheck` as JSON instead of the zip, so the studio can show a refusal
 * in place before it starts a download (a download cannot show an error).
 */
const check = z.enum(['1']).optional();
export const exportCheckSchema = z.object({ files: z.int(), fileName: z.string() });
export type ExportCheck = z.output<typeof exportCheckSchema>;
export const galleryExportQuerySchema = z.object({ check });

/** The `?ids=a,b,c` of a selection export: variation ids, deduplicated, order kept. */
export const selectionQuerySchema = z.object({
  check,
  ids: z
    .string()
    .min(1, 'Pick at least one variation.')
    .transform((s) => [...new Set(s.split(',').filter(Boolean))])
    .pipe(
      z
        .array(id)
        .min(1, 'Pick at least one variation.')
        .max(MAX_EXPORT_SELECTION, `Export at most ${MAX_EXPORT_SELECTION} variations at once.`),
    ),
});
/** The same selection as a JSON body (POST, for scripts). */
export const selectionBodySchema = z.object({
  variationIds: z
    .array(id)
    .min(1, 'Pick at least one variation.')
    .max(MAX_EXPORT_SELECTION, `Export at most ${MAX_EXPORT_SELECTION} variations at once.`)
    .transform((ids) => [...new Set(ids)]),
});

/** `galleryId` only in a selection export, where a variation's reviews may come from several galleries. */
const reviewerSchema = z.object({ reviewerId: z.string(), reviewerName: z.string(), galleryId: id.optional() });
const verdictSchema = reviewerSchema.extend({
  /** approve | reject | changes */
  verdict: z.string(),
  comment: z.string(),
  at: z.iso.datetime(),
});
const commentSchema = reviewerSchema.extend({ body: z.string(), at: z.iso.datetime() });

export const manifestItemSchema = z.object({
  position: z.int().min(1),
  fileName: z.string().min(1),
  /** sha256 of the file in the zip (provenance embedded). */
  fileSha256: sha,
  /** sha256 of the stored original, as the provider returned it. */
  originalSha256: sha,
  mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  width: z.int(),
  height: z.int(),
  caption: z.string(),
  /** False for a gallery item that is an uploaded image, not an output (nothing embedded). */
  provenanceEmbedded: z.boolean(),
  /** Null for a gallery item that is an uploaded image rather than an output. */
  variation: z
    .object({
      variationId: id,
      runId: id,
      runNumber: z.int(),
      sessionId: id,
      instruction: z.string(),
      negativePrompt: z.string(),
      parameters: parametersSchema,
      provider: z.string(),
      model: z.string(),
      targetId: z.string(),
      seed: z.int(),
      references: z.array(z.object({ position: z.int(), sha256: sha, role: z.string() })),
      parentVariationId: id.nullable(),
      cost: z.object({
        usd: z.number().nullable(),
        source: z.string().nullable(),
        estimateUsd: z.number().nullable(),
      }),
      createdAt: z.iso.datetime(),
    })
    .nullable(),
  review: z.object({
    /** Each reviewer's latest verdict. */
    verdicts: z.array(verdictSchema),
    /** Every verdict given, oldest first. */
    verdictHistory: z.array(verdictSchema),
    comments: z.array(commentSchema),
  }),
});
export type ManifestItem = z.output<typeof manifestItemSchema>;

export const exportManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  generator: z.literal('proofsheet'),
  exportedAt: z.iso.datetime(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('gallery'), galleryId: id, title: z.string(), description: z.string() }),
    z.object({ kind: z.literal('selection') }),
  ]),
  items: z.array(manifestItemSchema),
  /** Comments on the gallery as a whole (none for a selection). */
  comments: z.array(commentSchema),
});
export type ExportManifest = z.output<typeof exportManifestSchema>;

/** What an upload says when the image carries Proofsheet provenance (drop-back). */
export const provenanceOfferSchema = z.object({
  variationId: id,
  runId: id,
  sessionId: id,
  instruction: text,
  negativePrompt: z.string(),
  provider: z.string(),
  model: z.string(),
  targetId: z.string(),
  seed: z.int(),
  parameters: parametersSchema,
  /** True when the variation exists in this workspace (its history entry can be opened). */
  known: z.boolean(),
});
export type ProvenanceOffer = z.output<typeof provenanceOfferSchema>;
