'use client';

import { GitBranch } from 'lucide-react';
import { assetUrl, type RunDto, type VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import { formatUsd } from './format';
import { VariationTile } from './variation-tile';

type Props = {
  run: RunDto;
  number: number;
  targets: Map<string, StudioTarget>;
  onOpen: (run: RunDto, variation: VariationDto) => void;
  onUseAsReference: (variation: VariationDto) => void;
  onRetry: (variation: VariationDto) => void;
};

/** A run: what was asked, the references, and each target's variations side by side. */
export function RunCard({ run, number, targets, onOpen, onUseAsReference, onRetry }: Props) {
  const groups = run.targets.map((targetId) => ({
    targetId,
    target: targets.get(targetId),
    variations: run.variations.filter((v) => v.targetId === targetId),
  }));
  const cost = run.variations.reduce((sum, v) => sum + (v.costUsd ?? 0), 0);
  const done = run.variations.filter((v) => v.status === 'succeeded').length;

  return (
    <article className="rounded-xl border border-line bg-panel/60 p-4" aria-label={`Run ${number}`}>
      <header className="mb-3 flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="text-[11px] font-medium uppercase tracking-wide text-faint">
            Run {number} · {new Date(run.createdAt).toLocaleString()}
            {run.parentVariationId && (
              <span className="ml-2 inline-flex items-center gap-1 normal-case tracking-normal">
                <GitBranch size={11} aria-hidden /> from a variation
              </span>
            )}
          </p>
          <p className="mt-1 text-sm leading-relaxed text-ink">{run.instruction}</p>
          {run.negativePrompt && <p className="mt-0.5 text-xs text-muted">Avoid: {run.negativePrompt}</p>}
          <p className="mt-1 text-[11px] text-faint">
            {run.params.size === 'auto' ? 'size follows image 1' : run.params.size} · {run.params.format.toUpperCase()} · {done}/
            {run.variations.length} done{cost > 0 ? ` · ${formatUsd(cost)}` : ''}
          </p>
        </div>
        <ol className="flex gap-1.5" aria-label="Run references">
          {run.references.map((r) => (
            <li key={r.position} className="checker relative size-14 overflow-hidden rounded-md border border-line">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={assetUrl(r.asset.sha256, 'thumb')} alt={`Reference image ${r.position + 1}`} className="size-full object-cover" />
              <span className="absolute bottom-0 left-0 rounded-tr bg-black/60 px-1 text-[10px] text-white">{r.position + 1}</span>
            </li>
          ))}
        </ol>
      </header>
      <div className="space-y-3">
        {groups.map(({ targetId, target, variations }) => (
          <section key={targetId} aria-label={target?.label ?? targetId}>
            <h3 className="mb-1.5 flex flex-wrap items-baseline gap-x-2 text-xs">
              <span className="font-semibold text-ink">{target?.providerLabel ?? targetId.split(':')[0]}</span>
              <span className="text-muted">{target?.label ?? targetId}</span>
            </h3>
            {adaptationsOf(variations).map((a) => (
              <p key={a} className="mb-1.5 rounded bg-raised px-2 py-1 text-[11px] text-muted">
                {a}
              </p>
            ))}
            <div className="grid grid-cols-[repeat(auto-fill,minmax(210px,1fr))] gap-3">
              {variations.map((v) => (
                <VariationTile
                  key={v.id}
                  variation={v}
                  targetLabel={target?.label ?? targetId}
                  downloadName={`proofsheet-run${number}-${v.provider}-${v.model.replace(/[^\w.-]+/g, '-')}-seed${v.seed}`}
                  onOpen={() => onOpen(run, v)}
                  onUseAsReference={() => onUseAsReference(v)}
                  onRetry={() => onRetry(v)}
                />
              ))}
            </div>
          </section>
        ))}
      </div>
    </article>
  );
}

/** What each target was actually sent differs from what was dropped in: say it once per group. */
function adaptationsOf(variations: VariationDto[]): string[] {
  return [...new Set(variations.flatMap((v) => v.adaptations.map((a) => a.message)))];
}
