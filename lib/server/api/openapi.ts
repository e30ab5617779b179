import 'server-only';
import { z } from 'zod';
import {
  apiAssetSchema,
  apiBatchActionResultSchema,
  apiBatchItemParamsSchema,
  apiBatchItemRetrySchema,
  apiBatchParamsSchema,
  apiBatchSchema,
  apiCreateBatchSchema,
  apiCancelResultSchema,
  apiCreateRunSchema,
  apiCursorQuerySchema,
  apiErrorSchema,
  apiOutputParamsSchema,
  apiParametersSchema,
  apiRunPageSchema,
  apiRunParamsSchema,
  apiRunSchema,
  apiSessionPageSchema,
  apiSessionSchema,
  apiUploadResultSchema,
  apiVariationSchema,
  apiWebhookEventSchema,
} from '@/lib/schemas/api';
import { apiEstimateQuerySchema, apiEstimateSchema } from '@/lib/schemas/ledger';
import type { TokenScope } from '../context';

type JsonSchema = Record<string, unknown>;

/** Named schemas: one components entry each, referenced by $ref from the operations. */
const NAMED = {
  Error: apiErrorSchema,
  Asset: apiAssetSchema,
  UploadResult: apiUploadResultSchema,
  RunParameters: apiParametersSchema,
  CreateRun: apiCreateRunSchema,
  Variation: apiVariationSchema,
  Run: apiRunSchema,
  RunPage: apiRunPageSchema,
  Session: apiSessionSchema,
  SessionPage: apiSessionPageSchema,
  CancelResult: apiCancelResultSchema,
  RunFinishedEvent: apiWebhookEventSchema,
  CreateBatch: apiCreateBatchSchema,
  Batch: apiBatchSchema,
  BatchActionResult: apiBatchActionResultSchema,
  BatchItemRetry: apiBatchItemRetrySchema,
  Estimate: apiEstimateSchema,
} as const;
type Named = keyof typeof NAMED;

export type Operation = {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  scope: TokenScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { json: Named } | { multipart: true };
  ok: { status: number; schema?: Named; binary?: true };
  idempotent?: true;
};

/** Every /api/v1 operation. A test checks this list against the route files under app/api/v1. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/v1/estimate',
    operationId: 'estimateRun',
    summary: 'The cost estimate of a run before it is created (targets × count × size), with budget warnings.',
    scope: 'read',
    query: apiEstimateQuerySchema,
    ok: { status: 200, schema: 'Estimate' },
  },
  {
    method: 'post',
    path: '/api/v1/uploads',
    operationId: 'uploadReference',
    summary: 'Upload one reference image (multipart field "file").',
    scope: 'run',
    body: { multipart: true },
    ok: { status: 201, schema: 'UploadResult' },
    idempotent: true,
  },
  {
    method: 'post',
    path: '/api/v1/runs',
    operationId: 'createRun',
    summary: 'Create a run: references, instruction, parameters, targets, count.',
    scope: 'run',
    body: { json: 'CreateRun' },
    ok: { status: 201, schema: 'Run' },
    idempotent: true,
  },
  {
    method: 'get',
    path: '/api/v1/runs/{id}',
    operationId: 'getRun',
    summary: 'A run and its variations, with output URLs.',
    scope: 'read',
    params: apiRunParamsSchema,
    ok: { status: 200, schema: 'Run' },
  },
  {
    method: 'post',
    path: '/api/v1/runs/{id}/cancel',
    operationId: 'cancelRun',
    summary: 'Cancel every unfinished variation of a run.',
    scope: 'run',
    params: apiRunParamsSchema,
    ok: { status: 200, schema: 'CancelResult' },
  },
  {
    method: 'get',
    path: '/api/v1/runs/{id}/variations/{vid}/output',
    operationId: 'downloadOutput',
    summary: 'The original bytes of one output.',
    scope: 'read',
    params: apiOutputParamsSchema,
    ok: { status: 200, binary: true },
  },
  {
    method: 'get',
    path: '/api/v1/sessions',
    operationId: 'listSessions',
    summary: 'Sessions, most recently changed first.',
    scope: 'read',
    query: apiCursorQuerySchema,
    ok: { status: 200, schema: 'SessionPage' },
  },
  {
    method: 'get',
    path: '/api/v1/sessions/{id}/runs',
    operationId: 'listSessionRuns',
    summary: 'The runs of a session, newest first.',
    scope: 'read',
    params: z.object({ id: z.string().min(1).max(64) }),
    query: apiCursorQuerySchema,
    ok: { status: 200, schema: 'RunPage' },
  },
  {
    method: 'post',
    path: '/api/v1/batches',
    operationId: 'createBatch',
    summary: 'Create a batch: one instruction applied to each reference (one run per item, fed a few at a time).',
    scope: 'run',
    body: { json: 'CreateBatch' },
    ok: { status: 201, schema: 'Batch' },
    idempotent: true,
  },
  {
    method: 'get',
    path: '/api/v1/batches/{id}',
    operationId: 'getBatch',
    summary: 'A batch: status, progress, ETA and every item with its variations.',
    scope: 'read',
    params: apiBatchParamsSchema,
    ok: { status: 200, schema: 'Batch' },
  },
  ...(['pause', 'resume', 'cancel'] as const).map(
    (verb): Operation => ({
      method: 'post',
      path: `/api/v1/batches/{id}/${verb}`,
      operationId: `${verb}Batch`,
      summary: {
        pause: 'Stop feeding items (submitted runs finish).',
        resume: 'Feed a paused batch again.',
        cancel: 'Cancel unsubmitted items and the unfinished variations of submitted ones.',
      }[verb],
      scope: 'run',
      params: apiBatchParamsSchema,
      ok: { status: 200, schema: 'BatchActionResult' },
    }),
  ),
  {
    method: 'post',
    path: '/api/v1/batches/{id}/items/{itemId}/retry',
    operationId: 'retryBatchItem',
    summary: 'Put one failed or cancelled item back in line as a new run.',
    scope: 'run',
    params: apiBatchItemParamsSchema,
    ok: { status: 200, schema: 'BatchItemRetry' },
  },
];

const ref = (name: Named) => ({ $ref: `#/components/schemas/${name}` });

function components(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(out.schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema as JsonSchema;
    schemas[id] = rest;
  }
  return schemas;
}

function parameters(op: Operation): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, obj] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!obj) continue;
    for (const [name, field] of Object.entries(obj.shape)) {
      const { $schema: _drop, ...schema } = z.toJSONSchema(field as z.ZodType, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
      list.push({ name, in: where, required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success, schema });
    }
  }
  return list;
}

const ERRORS: Record<string, string> = {
  '400': 'Invalid input.',
  '401': 'Missing, wrong or revoked token.',
  '402': 'Over budget (budget_exceeded): the run’s estimate would cross the monthly budget or the session cap.',
  '403': 'The token lacks the scope.',
  '404': 'Not found (or of another workspace).',
  '409': 'Conflict (e.g. an Idempotency-Key reused with another body).',
  '422': 'Refused by the safety pre-check (content_blocked): the blocklist or moderation flagged the run; nothing was sent or billed.',
  '429': 'Rate limited: see Retry-After.',
  '503': 'Unavailable: see Retry-After (moderation_unavailable: the moderation service did not answer and the pre-check fails closed).',
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with. */
export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, JsonSchema> = {
      [String(op.ok.status)]: op.ok.binary
        ? { description: 'The image bytes.', content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } } }
        : { description: 'OK', content: { 'application/json': { schema: ref(op.ok.schema!) } } },
    };
    for (const [status, description] of Object.entries(ERRORS))
      responses[status] = { description, content: { 'application/json': { schema: ref('Error') } } };
    const params = parameters(op);
    if (op.idempotent)
      params.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A repeat with the same key and body returns the first result.',
        schema: { type: 'string', maxLength: 255 },
      });
    const operation: JsonSchema = {
      operationId: op.operationId,
      summary: op.summary,
      description: `Scope: ${op.scope}.`,
      parameters: params,
      responses,
      security: [{ bearer: [op.scope] }],
    };
    if (op.body && 'json' in op.body)
      operation.requestBody = { required: true, content: { 'application/json': { schema: ref(op.body.json) } } };
    if (op.body && 'multipart' in op.body) {
      operation.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
            },
          },
        },
      };
    }
    const item = paths[op.path] ?? {};
    item[op.method] = operation;
    paths[op.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Proofsheet API',
      version: '1.0.0',
      description:
        'Pipelines: upload references, create runs, read and download their outputs. Runs that name a webhookUrl are announced by a signed POST (X-Proofsheet-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> with the token\'s webhook secret) whose body is a RunFinishedEvent.',
    },
    paths,
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token: ps_<prefix>_<secret>.' } },
    },
  };
}
