import { z } from 'zod';
import { MAX_INSTRUCTION_LENGTH, MAX_REFERENCES, MAX_TARGETS, MAX_VARIATIONS } from './limits';
import { assetDtoSchema, MAX_SEED, submitRunSchema } from './run';

/**
 * The composer's unsent state, saved on the server per session as it changes. Everything is
 * optional with defaults so a draft written by an older version still decodes.
 */
export const draftSchema = z.object({
  instruction: z.string().max(MAX_INSTRUCTION_LENGTH).default(''),
  negativePrompt: z.string().max(MAX_INSTRUCTION_LENGTH).default(''),
  references: z.array(assetDtoSchema).max(MAX_REFERENCES).default([]),
  targets: z.array(z.string().min(1).max(200)).max(MAX_TARGETS).default([]),
  seed: z.int().min(0).max(MAX_SEED).optional(),
  keepSeed: z.boolean().default(false),
  count: z.int().min(1).max(MAX_VARIATIONS).optional(),
  size: z.string().max(20).optional(),
  format: z.enum(['png', 'jpeg']).optional(),
  strength: z.number().min(0).max(1).optional(),
  guidance: z.number().min(0).max(30).optional(),
  /** Vendor safety settings by target id, as a run takes them; one that no longer fits is dropped, not the draft. */
  safety: submitRunSchema.shape.safety.catch(undefined),
});
export type Draft = z.output<typeof draftSchema>;

export const saveDraftSchema = z.object({ sessionId: z.string().min(1).max(64), draft: draftSchema });
