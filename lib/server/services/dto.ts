import 'server-only';
import type { Prisma } from '../generated/prisma/client';
import type { AssetDto, RunDto, VariationDto } from '@/lib/schemas/run';
import { decode } from '../db/decoders';

// Rows to DTOs: the only shapes that leave the services (ISO dates, decoded columns).

type AssetRow = { id: string; sha256: string; mime: string; width: number; height: number };
type VariationRow = {
  id: string;
  targetId: string;
  provider: string;
  model: string;
  index: number;
  seed: number;
  status: string;
  jobId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  blockKind?: string | null;
  vendorRequestId?: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  costUsd: number | null;
  costSource: string | null;
  adaptations: string;
  outputAsset: AssetRow | null;
  starred: boolean;
  rating: number | null;
  note: string;
};
type RunRow = {
  id: string;
  sessionId: string;
  number: number;
  sourceRunId: string | null;
  sourceKind: string | null;
  starred: boolean;
  rating: number | null;
  note: string;
  instruction: string;
  negativePrompt: string;
  params: string;
  targets: string;
  parentVariationId: string | null;
  createdAt: Date;
  references: { position: number; asset: AssetRow }[];
  variations: VariationRow[];
};

export function assetDto(a: AssetRow): AssetDto {
  return { id: a.id, sha256: a.sha256, mime: a.mime, width: a.width, height: a.height };
}

export function variationDto(v: VariationRow): VariationDto {
  return {
    id: v.id,
    targetId: v.targetId,
    provider: v.provider,
    model: v.model,
    index: v.index,
    seed: v.seed,
    status: decode.status(v.status),
    jobId: v.jobId,
    errorCode: v.errorCode,
    errorMessage: v.errorMessage,
    blockKind: v.blockKind === 'prompt-blocked' || v.blockKind === 'output-blocked' ? v.blockKind : null,
    vendorRequestId: v.vendorRequestId ?? null,
    queuedAt: v.queuedAt.toISOString(),
    startedAt: v.startedAt?.toISOString() ?? null,
    finishedAt: v.finishedAt?.toISOString() ?? null,
    costUsd: v.costUsd,
    costSource: v.costSource,
    adaptations: decode.adaptations(v.adaptations),
    output: v.outputAsset ? assetDto(v.outputAsset) : null,
    starred: v.starred,
    rating: v.rating,
    note: v.note,
  };
}

export function runDto(r: RunRow): RunDto {
  return {
    id: r.id,
    sessionId: r.sessionId,
    number: r.number,
    sourceRunId: r.sourceRunId,
    sourceKind: decode.sourceKind(r.sourceKind),
    starred: r.starred,
    rating: r.rating,
    note: r.note,
    instruction: r.instruction,
    negativePrompt: r.negativePrompt,
    params: decode.params(r.params),
    targets: decode.targets(r.targets),
    parentVariationId: r.parentVariationId,
    createdAt: r.createdAt.toISOString(),
    references: r.references.map((ref) => ({ position: ref.position, asset: assetDto(ref.asset) })),
    variations: r.variations.map(variationDto),
  };
}

export const runInclude = {
  references: { include: { asset: true }, orderBy: { position: 'asc' } },
  // Rejected (soft-deleted) variations leave the grid; they are restored from the Trash.
  variations: { where: { deletedAt: null }, include: { outputAsset: true }, orderBy: [{ targetId: 'asc' }, { index: 'asc' }] },
} satisfies Prisma.RunInclude;
