import { z } from 'zod';
import { MAX_INSTRUCTION_LENGTH, MAX_REFERENCES, MAX_TARGETS, MAX_VARIATIONS } from './limits';

/** Client-safe shapes of the pipelines API (/api/v1) and of token management. */

const tokenScopeSchema = z.enum(['read', 'run', 'admin']);

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, 'Name the token.').max(80),
  scopes: z.array(tokenScopeSchema).min(1, 'Pick at least one scope.').max(3),
});

export const revokeTokenSchema = z.object({ tokenId: z.string().min(1).max(64) });

export type TokenSummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: z.output<typeof tokenScopeSchema>[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** Returned once, at creation: neither secret can be read again. */
export type CreatedToken = { summary: TokenSummary; token: string; webhookSecret: string };

// ---- /api/v1 request and response shapes (the OpenAPI document is generated from these) ----

const id = z.string().min(1).max(64);

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
      errorId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const apiAssetSchema = z.object({ id, sha256: z.string(), mime: z.string(), width: z.int(), height: z.int() }).meta({ id: 'Asset' });

export const apiUploadResultSchema = z.object({ asset: apiAssetSchema, notes: z.array(z.string()) }).meta({ id: 'UploadResult' });

export const apiParametersSchema = z
  .object({
    seed: z.int().min(0).max(2_147_483_647).optional().describe('Random when left out.'),
    size: z
      .string()
      .regex(/^(auto|\d{2,5}x\d{2,5})$/)
      .optional()
      .describe('"auto" or WIDTHxHEIGHT.'),
    format: z.enum(['png', 'jpeg']).optional(),
    strength: z.number().min(0).max(1).optional(),
    guidance: z.number().min(0).max(30).optional(),
    safety: z
      .record(z.string().min(1).max(200), z.union([z.int().min(0).max(10), z.boolean()]))
      .optional()
      .describe(
        "Vendor safety settings by target id, for targets whose catalog entry has one (e.g. FLUX safety_tolerance); left out: the vendor's default.",
      ),
  })
  .meta({ id: 'RunParameters' });

export const apiCreateRunSchema = z
  .object({
    sessionId: id.optional().describe('Left out: the run starts a new session.'),
    referenceIds: z.array(id).min(1).max(MAX_REFERENCES).describe('Asset ids from POST /api/v1/uploads, in order ("Image 1" first).'),
    instruction: z.string().trim().min(1).max(MAX_INSTRUCTION_LENGTH),
    negativePrompt: z.string().trim().max(MAX_INSTRUCTION_LENGTH).optional(),
    parameters: apiParametersSchema.optional(),
    targets: z.array(z.string().min(1).max(200)).min(1).max(MAX_TARGETS).describe('Catalog target ids.'),
    count: z.int().min(1).max(MAX_VARIATIONS).default(1),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .describe('Told by a signed POST when every variation has finished.'),
  })
  .meta({ id: 'CreateRun' });
export type ApiCreateRun = z.output<typeof apiCreateRunSchema>;

export const apiVariationSchema = z
  .object({
    id,
    targetId: z.string(),
    provider: z.string(),
    model: z.string(),
    index: z.int(),
    seed: z.int(),
    status: z.enum(['queued', 'submitting', 'running', 'succeeded', 'failed', 'cancelled']),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    blockKind: z
      .enum(['prompt-blocked', 'output-blocked'])
      .nullable()
      .describe("A provider's content block: the prompt/references refused, or the output withheld."),
    vendorRequestId: z.string().nullable().describe("The vendor's id for the request, for appeals and support."),
    costUsd: z.number().nullable(),
    queuedAt: z.string(),
    finishedAt: z.string().nullable(),
    output: apiAssetSchema.nullable(),
    outputUrl: z.string().nullable().describe('Downloads the original bytes with the same token.'),
  })
  .meta({ id: 'Variation' });

export const apiRunSchema = z
  .object({
    id,
    sessionId: id,
    number: z.int(),
    instruction: z.string(),
    negativePrompt: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    targets: z.array(z.string()),
    referenceIds: z.array(id),
    createdAt: z.string(),
    finished: z.boolean().describe('True when every variation is succeeded, failed or cancelled.'),
    variations: z.array(apiVariationSchema),
    costEstimate: z
      .object({ totalUsd: z.number().nullable(), unknownTargets: z.array(z.string()), warnings: z.array(z.string()) })
      .optional()
      .describe('On create only: the cost estimate at creation and any budget warning (80 % of a limit, targets without a price).'),
  })
  .meta({ id: 'Run' });
export type ApiRun = z.output<typeof apiRunSchema>;

export const apiRunPageSchema = z.object({ runs: z.array(apiRunSchema), nextCursor: z.string().nullable() }).meta({ id: 'RunPage' });

export const apiSessionSchema = z
  .object({ id, title: z.string(), updatedAt: z.string(), archived: z.boolean(), runCount: z.int() })
  .meta({ id: 'Session' });
export const apiSessionPageSchema = z
  .object({ sessions: z.array(apiSessionSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SessionPage' });

export const apiCancelResultSchema = z.object({ cancelled: z.int() }).meta({ id: 'CancelResult' });

export const apiRunParamsSchema = z.object({ id });
export const apiOutputParamsSchema = z.object({ id, vid: id });
export const apiCursorQuerySchema = z.object({ cursor: id.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });

/** The webhook's body, signed with the token's secret (X-Proofsheet-Signature). */
export const apiWebhookEventSchema = z
  .object({ type: z.literal('run.finished'), createdAt: z.string(), run: apiRunSchema })
  .meta({ id: 'RunFinishedEvent' });

// ---- batches: one instruction over many references ----

export const apiCreateBatchSchema = z
  .object({
    instruction: z.string().trim().min(1).max(MAX_INSTRUCTION_LENGTH),
    negativePrompt: z.string().trim().max(MAX_INSTRUCTION_LENGTH).optional(),
    targets: z.array(z.string().min(1).max(200)).min(1).max(MAX_TARGETS).describe('Catalog target ids.'),
    count: z.int().min(1).max(MAX_VARIATIONS).default(1).describe('Variations per target per item.'),
    seed: z.int().min(0).max(2_147_483_647).optional().describe('Random when left out; the same for every item.'),
    size: z
      .string()
      .regex(/^(auto|\d{2,5}x\d{2,5})$/)
      .optional(),
    format: z.enum(['png', 'jpeg']).optional(),
    referenceIds: z.array(id).min(1).max(1000).describe('One item per asset id (from POST /api/v1/uploads), in order.'),
    fileNames: z.array(z.string().max(255)).max(1000).optional().describe('The input file name of each item, for the manifest.'),
    sharedReferenceIds: z
      .array(id)
      .max(MAX_REFERENCES - 1)
      .optional()
      .describe('Passed with every item after its own reference (a style or background).'),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .describe('Each item’s run announces itself by a signed POST when it finishes.'),
  })
  .meta({ id: 'CreateBatch' });
export type ApiCreateBatch = z.output<typeof apiCreateBatchSchema>;

export const apiBatchSchema = z
  .object({
    id,
    status: z.enum(['queued', 'running', 'paused', 'cancelled', 'done']),
    progress: z.object({ total: z.int(), done: z.int(), failed: z.int(), running: z.int() }),
    etaSeconds: z.int().nullable().describe('Null until an item has finished.'),
    items: z.array(
      z.object({
        id,
        position: z.int(),
        referenceId: id,
        fileName: z.string(),
        status: z.enum(['pending', 'submitted', 'done', 'failed', 'cancelled']),
        runId: id.nullable(),
        variations: z.array(
          z.object({
            id,
            targetId: z.string(),
            status: z.string(),
            seed: z.int(),
            costUsd: z.number().nullable(),
            outputUrl: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'Batch' });
export type ApiBatch = z.output<typeof apiBatchSchema>;

export const apiBatchActionResultSchema = z.object({ status: z.string(), cancelled: z.int().optional() }).meta({ id: 'BatchActionResult' });
export const apiBatchItemRetrySchema = z.object({ itemId: id, status: z.string() }).meta({ id: 'BatchItemRetry' });
export const apiBatchParamsSchema = z.object({ id });
export const apiBatchItemParamsSchema = z.object({ id, itemId: id });
