import 'server-only';
import { z } from 'zod';
import { draftSchema, type Draft } from '@/lib/schemas/draft';
import {
  adaptationSchema,
  runParamsSchema,
  variationStatusSchema,
  type Adaptation,
  type RunParams,
  type VariationStatus,
} from '@/lib/schemas/run';

/**
 * One decoder per JSON or enum-like column, used by every reader. SQLite has no JSON or enum
 * column type that the Prisma SQLite provider maps for us, so these columns are TEXT and this
 * file is the only place their text becomes typed values (and the only place it is written).
 */

function decodeJson<S extends z.ZodType>(schema: S, text: string, column: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${column}: stored value is not JSON`);
  }
  return schema.parse(value);
}

const targetsSchema = z.array(z.string());
const sourceKindSchema = z.enum(['rerun', 'tweak']);

export const decode = {
  /** Run.params: exactly what was submitted. */
  params: (text: string): RunParams => decodeJson(runParamsSchema, text, 'Run.params'),
  /** Run.targets: catalog target ids in the order picked. */
  targets: (text: string): string[] => decodeJson(targetsSchema, text, 'Run.targets'),
  /** Variation.adaptations: what was changed in the inputs for that target. */
  adaptations: (text: string): Adaptation[] => decodeJson(z.array(adaptationSchema), text, 'Variation.adaptations'),
  /** Variation.status. */
  status: (text: string): VariationStatus => variationStatusSchema.parse(text),
  /** Run.sourceKind: null for a run that repeats nothing. */
  sourceKind: (text: string | null): 'rerun' | 'tweak' | null => (text === null ? null : (sourceKindSchema.safeParse(text).data ?? null)),
  /** Draft.data: tolerant, so a draft from an older version never blocks the composer. */
  draft: (text: string): Draft => {
    try {
      return draftSchema.parse(JSON.parse(text));
    } catch {
      return draftSchema.parse({});
    }
  },
};

export const encode = {
  params: (p: RunParams): string => JSON.stringify(runParamsSchema.parse(p)),
  targets: (t: string[]): string => JSON.stringify(t),
  adaptations: (a: Adaptation[]): string => JSON.stringify(a),
  draft: (d: Draft): string => JSON.stringify(d),
};
