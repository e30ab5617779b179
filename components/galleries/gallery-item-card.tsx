'use client';

import { ChevronLeft, ChevronRight, GitBranch, GripVertical, Route, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { cn } from '@/lib/cn';
import { findTarget } from '@/lib/providers/catalog';
import type { GalleryItemDto, Verdict } from '@/lib/schemas/gallery';
import { assetUrl } from '@/lib/schemas/run';
import { IconButton } from '../ui/icon-button';
import { ReviewBadge } from './review-badge';

/** A stable name for an item's controls (the caption may change while it is typed). */
export function itemName(item: GalleryItemDto): string {
  const v = item.variation;
  if (!v) return `Image ${item.asset.sha256.slice(0, 6)}`;
  return `Run ${v.runNumber} · ${findTarget(v.targetId)?.label ?? v.targetId} · seed ${v.seed}`;
}

const VERDICT: Record<Verdict, { text: string; tone: string }> = {
  approve: { text: 'approved', tone: 'text-emerald-600 dark:text-emerald-400' },
  reject: { text: 'rejected', tone: 'text-red-600 dark:text-red-400' },
  changes: { text: 'requested changes', tone: 'text-amber-600 dark:text-amber-400' },
};

type Props = {
  item: GalleryItemDto;
  index: number;
  count: number;
  dragging: boolean;
  dropTarget: boolean;
  onDragStart: () => void;
  onDragEnd: () => void;
  onDragEnter: () => void;
  /** Move to index `to`; `control` names the control to keep focus on afterwards. */
  onMove: (to: number, control: string) => void;
  onRemove: () => void;
  onCaption: (caption: string) => void;
};

export function GalleryItemCard({ item, index, count, dragging, dropTarget, onMove, onRemove, onCaption, ...drag }: Props) {
  const name = itemName(item);
  const v = item.variation;

  // Alt+Arrow moves the item from any of its controls (not from the caption, where Alt+Arrow moves the caret by word).
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!e.altKey || e.target instanceof HTMLInputElement) return;
    const step = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const control = (e.target as HTMLElement).dataset.control ?? 'handle';
    onMove(index + step, control);
  };

  return (
    <li
      data-item-id={item.id}
      // Focus lands here after a move when the control used is no longer there (first or last place).
      tabIndex={-1}
      aria-label={`${index + 1}. ${item.caption || name}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', item.id);
        drag.onDragStart();
      }}
      onDragEnd={drag.onDragEnd}
      onDragEnter={drag.onDragEnter}
      onKeyDown={onKeyDown}
      className={cn(
        'flex flex-col overflow-hidden rounded-xl border bg-panel transition-shadow',
        dropTarget ? 'border-accent ring-2 ring-accent' : 'border-line',
        dragging && 'opacity-50',
      )}
    >
      <div className="checker relative aspect-square">
        <img
          src={assetUrl(item.asset.sha256, 'preview')}
          alt={item.caption || name}
          loading="lazy"
          draggable={false}
          className="size-full object-contain"
        />
        <span className="absolute left-2 top-2 rounded-md bg-black/60 px-1.5 py-0.5 text-xs font-semibold text-white tabular-nums">
          {index + 1}
        </span>
        <ReviewBadge review={item.review} tone="overlay" className="absolute right-2 top-2" />
      </div>
      <div className="flex flex-1 flex-col gap-2 p-2.5">
        <CaptionField label={`Caption for ${name}`} value={item.caption} onSave={onCaption} />
        {v ? (
          <p className="line-clamp-2 text-xs text-muted" title={v.instruction}>
            <span className="text-faint">{name} · </span>
            {v.instruction}
          </p>
        ) : (
          <p className="text-xs text-muted">{name} · not a variation</p>
        )}
        {item.verdicts.length > 0 && (
          <ul aria-label={`Verdicts on ${name}`} className="space-y-0.5 text-xs">
            {item.verdicts.map((r) => (
              <li key={`${r.reviewerName}-${r.at}`} className="truncate" title={r.comment || undefined}>
                <span className="font-medium text-ink">{r.reviewerName}</span>{' '}
                <span className={VERDICT[r.verdict].tone}>{VERDICT[r.verdict].text}</span>
                {r.comment && <span className="text-muted">: {r.comment}</span>}
              </li>
            ))}
          </ul>
        )}
        <div className="mt-auto flex items-center gap-0.5 border-t border-line pt-1.5">
          <span
            className="inline-flex size-8 cursor-grab items-center justify-center text-faint active:cursor-grabbing"
            title="Drag to reorder"
            aria-hidden
          >
            <GripVertical size={14} />
          </span>
          <IconButton
            label={`Move ${name} earlier`}
            data-control="earlier"
            disabled={index === 0}
            onClick={() => onMove(index - 1, 'earlier')}
          >
            <ChevronLeft size={15} aria-hidden />
          </IconButton>
          <IconButton
            label={`Move ${name} later`}
            data-control="later"
            disabled={index === count - 1}
            onClick={() => onMove(index + 1, 'later')}
          >
            <ChevronRight size={15} aria-hidden />
          </IconButton>
          {v && (
            <>
              <Link
                href={`/v/${v.id}`}
                prefetch={false}
                aria-label={`Provenance of ${name}`}
                title="Provenance"
                className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-ink"
              >
                <Route size={14} aria-hidden />
              </Link>
              <Link
                href={`/s/${v.sessionId}/lineage`}
                prefetch={false}
                aria-label={`Lineage of ${name}`}
                title="Lineage"
                className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-ink"
              >
                <GitBranch size={14} aria-hidden />
              </Link>
            </>
          )}
          <IconButton
            label={`Remove ${name} from the gallery`}
            data-control="remove"
            className="ml-auto hover:text-danger"
            onClick={onRemove}
          >
            <Trash2 size={14} aria-hidden />
          </IconButton>
        </div>
      </div>
    </li>
  );
}

/** Saved when it loses focus or on Enter, only if it changed; Escape puts the saved text back. */
function CaptionField({ label, value, onSave }: { label: string; value: string; onSave: (caption: string) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <input
      aria-label={label}
      data-control="caption"
      value={draft}
      maxLength={500}
      placeholder="Add a caption"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft.trim() !== value && onSave(draft)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(value);
      }}
      className="w-full rounded-md border border-transparent bg-transparent px-1.5 py-1 text-sm font-medium text-ink placeholder:font-normal placeholder:text-faint hover:border-line focus:border-line focus:bg-canvas"
    />
  );
}
