'use client';

import { Columns2, Star, StarOff, Trash2, X } from 'lucide-react';
import { AddToGallery, type GallerySelection } from '../galleries/add-to-gallery';
import { ExportButton } from '../galleries/export-button';
import { Button } from '../ui/button';

type Props = {
  count: number;
  onStar: () => void;
  onUnstar: () => void;
  onDelete: () => void;
  onAddToTray: () => void;
  onClear: () => void;
  /** The selection as the gallery dialog takes it, read when it opens. */
  gallerySelection?: () => GallerySelection;
};

/** Actions on the whole selection; shown while at least one cell is selected. */
export function BulkBar({ count, onStar, onUnstar, onDelete, onAddToTray, onClear, gallerySelection }: Props) {
  return (
    <div
      role="toolbar"
      aria-label="Selected variations"
      className="flex flex-wrap items-center gap-2 rounded-lg border border-line bg-panel px-3 py-2 shadow-sm"
    >
      <span className="mr-1 text-sm font-medium text-ink" aria-live="polite">
        {count} selected
      </span>
      <Button size="sm" onClick={onStar}>
        <Star size={12} aria-hidden /> Star selected
      </Button>
      <Button size="sm" onClick={onUnstar}>
        <StarOff size={12} aria-hidden /> Unstar
      </Button>
      <Button size="sm" onClick={onAddToTray}>
        <Columns2 size={12} aria-hidden /> Add to compare tray
      </Button>
      {gallerySelection && <AddToGallery selection={gallerySelection} />}
      {/* Selection export (issue 10): the same ids the gallery dialog takes. */}
      {gallerySelection && <ExportButton variationIds={gallerySelection().variationIds} />}
      <Button size="sm" onClick={onDelete} className="text-danger">
        <Trash2 size={12} aria-hidden /> Delete selected
      </Button>
      <Button size="sm" variant="ghost" onClick={onClear} className="ml-auto">
        <X size={12} aria-hidden /> Clear selection
      </Button>
    </div>
  );
}

/** The culling keys, always visible above the grid. */
export function KeyLegend() {
  const keys: [string, string][] = [
    ['1–5', 'rate'],
    ['S', 'star'],
    ['X', 'reject'],
    ['Z', 'undo'],
  ];
  return (
    <p className="flex flex-wrap items-center gap-x-1.5 text-xs text-muted">
      {keys.map(([k, what], i) => (
        <span key={k} className="inline-flex items-center gap-1">
          {i > 0 && (
            <span className="text-faint" aria-hidden>
              ·
            </span>
          )}
          <kbd className="rounded border border-line bg-raised px-1 font-mono text-[11px] text-ink">{k}</kbd> {what}
        </span>
      ))}
    </p>
  );
}
