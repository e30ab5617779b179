'use client';

import { GitBranch, Pencil, Repeat, StickyNote, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { assetUrl, type RunDto, type VariationDto } from '@/lib/schemas/run';
import type { StudioTarget } from '@/lib/schemas/studio';
import type { RunEdits } from '../history/use-run-edits';
import { Button } from '../ui/button';
import { IconButton } from '../ui/icon-button';
import { Rating } from '../ui/rating';
import { StarToggle } from '../ui/star-toggle';
import { formatUsd } from './format';
import { VariationTile } from './variation-tile';

type Props = {
  run: RunDto;
  targets: Map<string, StudioTarget>;
  edits: RunEdits;
  onOpen: (run: RunDto, variation: VariationDto) => void;
  onUseAsReference: (variation: VariationDto) => void;
  onRetry: (variation: VariationDto) => void;
  onRerun: (run: RunDto) => void;
  onTweak: (run: RunDto) => void;
};

/** A run: what was asked, the references, and each target's variations side by side. */
export function RunCard({ run, targets, edits, onOpen, onUseAsReference, onRetry, onRerun, onTweak }: Props) {
  const [noteOpen, setNoteOpen] = useState(Boolean(run.note));
  const groups = run.targets.map((targetId) => ({
    targetId,
    target: targets.get(targetId),
    variations: run.variations.filter((v) => v.targetId === targetId),
  }));
  const cost = run.variations.reduce((sum, v) => sum + (v.costUsd ?? 0), 0);
  const done = run.variations.filter((v) => v.status === 'succeeded').length;
  const name = `run ${run.number}`;

  return (
    <article className="rounded-xl border border-line bg-panel/60 p-4" aria-label={`Run ${run.number}`}>
      <header className="mb-3 flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-x-2 text-[11px] font-medium uppercase tracking-wide text-faint">
            Run {run.number} · {new Date(run.createdAt).toLocaleString()}
            {run.parentVariationId && (
              <span className="inline-flex items-center gap-1 normal-case tracking-normal">
                <GitBranch size={11} aria-hidden /> from a variation
              </span>
            )}
            {run.sourceKind && (
              <span className="normal-case tracking-normal">{run.sourceKind === 'rerun' ? '· re-run' : '· tweak'} of an earlier run</span>
            )}
          </p>
          <p className="mt-1 text-sm leading-relaxed text-ink">{run.instruction}</p>
          {run.negativePrompt && <p className="mt-0.5 text-xs text-muted">Avoid: {run.negativePrompt}</p>}
          <p className="mt-1 text-[11px] text-faint">
            {run.params.size === 'auto' ? 'size follows image 1' : run.params.size} · {run.params.format.toUpperCase()} · {done}/
            {run.variations.length} done
            {cost > 0 ? ` · ${formatUsd(cost)}` : ''}
          </p>
        </div>
        <ol className="flex gap-1.5" aria-label="Run references">
          {run.references.map((r) => (
            <li key={r.position} className="checker relative size-14 overflow-hidden rounded-md border border-line">
              <img
                src={assetUrl(r.asset.sha256, 'thumb')}
                alt={`Reference ${r.position + 1}`}
                loading="lazy"
                className="size-full object-cover"
              />
              <span className="absolute bottom-0 left-0 rounded-tr bg-black/60 px-1 text-[10px] text-white">{r.position + 1}</span>
            </li>
          ))}
        </ol>
      </header>
      <div className="mb-3 flex flex-wrap items-center gap-1 border-y border-line py-1">
        <StarToggle starred={run.starred} onToggle={() => edits.starRun(run)} label={`Star ${name}`} />
        <Rating value={run.rating} onChange={(r) => edits.rateRun(run, r)} label={`Rate ${name}`} />
        <span className="mx-1 h-4 w-px bg-line" />
        <Button size="sm" variant="ghost" onClick={() => onRerun(run)} aria-label={`Re-run ${name} exactly`}>
          <Repeat size={12} aria-hidden /> Re-run
        </Button>
        <Button size="sm" variant="ghost" onClick={() => onTweak(run)} aria-label={`Tweak ${name}`}>
          <Pencil size={12} aria-hidden /> Tweak
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setNoteOpen((o) => !o)} aria-expanded={noteOpen} aria-label={`Note on ${name}`}>
          <StickyNote size={12} aria-hidden /> Note
        </Button>
        <IconButton label={`Delete ${name}`} className="ml-auto" onClick={() => edits.deleteRun(run)}>
          <Trash2 size={14} />
        </IconButton>
      </div>
      {noteOpen && <NoteField label={`Note on ${name}`} value={run.note} onSave={(note) => edits.noteRun(run, note)} />}
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
              {variations.map((v) => {
                const label = `Variation ${v.index + 1} · ${target?.label ?? targetId} · seed ${v.seed}`;
                return (
                  <VariationTile
                    key={v.id}
                    variation={v}
                    targetLabel={target?.label ?? targetId}
                    downloadName={`proofsheet-run${run.number}-${v.provider}-seed${v.seed}`}
                    onOpen={() => onOpen(run, v)}
                    onUseAsReference={() => onUseAsReference(v)}
                    onRetry={() => onRetry(v)}
                    onCancel={() => edits.cancel(v)}
                    onStar={() => edits.starVariation(v)}
                    onRate={(r) => edits.rateVariation(v, r)}
                    onDelete={() => edits.deleteVariation(v, label)}
                    onAddToTray={() => v.output && edits.addToTray([{ assetId: v.output.id, variationId: v.id }])}
                  />
                );
              })}
            </div>
          </section>
        ))}
      </div>
    </article>
  );
}

/** A note saved when the field loses focus (and only if it changed). */
export function NoteField({ label, value, onSave }: { label: string; value: string; onSave: (note: string) => void }) {
  const [draft, setDraft] = useState(value);
  return (
    <textarea
      aria-label={label}
      value={draft}
      rows={2}
      placeholder="Write a note…"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft !== value && onSave(draft)}
      className="mb-3 w-full resize-y rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm text-ink placeholder:text-faint"
    />
  );
}

function adaptationsOf(variations: VariationDto[]): string[] {
  return [...new Set(variations.flatMap((v) => v.adaptations.map((a) => a.message)))];
}
