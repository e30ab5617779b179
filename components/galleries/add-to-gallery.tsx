'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GalleryHorizontalEnd, Loader2, Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { cn } from '@/lib/cn';
import { galleryListQuery } from '@/lib/client/queries';
import { galleryKeys } from '@/lib/client/query-keys';
import type { AddedToGallery } from '@/lib/schemas/gallery';
import type { ActionResult } from '@/lib/schemas/result';
import { addGalleryItemsAction, createGalleryAction } from '@/lib/server/actions/galleries';
import { PanelDialog } from '../review/panel-dialog';
import { Button } from '../ui/button';
import { IconButton } from '../ui/icon-button';
import { useToast } from '../ui/toaster';

export type GallerySelection = { variationIds?: string[]; items?: { assetId: string; variationId?: string }[] };

type Props = {
  /** What to add, read when the dialog opens (a grid's selection changes under it). */
  selection: GallerySelection | (() => GallerySelection);
  /** The trigger's accessible name ("Add to gallery" unless it names one image). */
  label?: string;
  /** button: a small labelled button (bars, pages); icon: an overlay icon (tiles); plain: a quiet icon (lineage). */
  look?: 'button' | 'icon' | 'plain';
  className?: string;
};

/**
 * "Add to gallery" from anywhere a selection exists: a dialog listing the galleries (newest
 * first) and a field to start a new one. The toast that confirms links to the gallery.
 */
export function AddToGallery({ selection, label = 'Add to gallery', look = 'button', className }: Props) {
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<GallerySelection>({});
  const start = () => {
    setPicked(typeof selection === 'function' ? selection() : selection);
    setOpen(true);
  };
  const count = (picked.variationIds?.length ?? 0) + (picked.items?.length ?? 0);
  return (
    <>
      {look === 'button' ? (
        <Button size="sm" onClick={start} aria-label={label} className={className} aria-haspopup="dialog">
          <GalleryHorizontalEnd size={12} aria-hidden /> Add to gallery
        </Button>
      ) : (
        <IconButton label={label} tone={look === 'icon' ? 'overlay' : 'plain'} onClick={start} aria-haspopup="dialog" className={className}>
          <GalleryHorizontalEnd size={14} aria-hidden />
        </IconButton>
      )}
      {/* Mounted while open only (a tile each would hold one); events stay inside: the grid and tiles this opens from have their own click and key handlers. */}
      {open && (
        <PanelDialog
          open
          onClose={() => setOpen(false)}
          title={
            <>
              Add to gallery <span className="font-normal text-muted">· {count === 1 ? '1 image' : `${count} images`}</span>
            </>
          }
          className="w-[min(28rem,calc(100vw-2rem))]"
          padded={false}
          contain
        >
          {(close) => <AddForm selection={picked} onDone={close} />}
        </PanelDialog>
      )}
    </>
  );
}

function AddForm({ selection, onDone }: { selection: GallerySelection; onDone: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const { data: galleries, isPending } = useQuery(galleryListQuery());
  const [busy, setBusy] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);

  const finish = async (key: string, call: () => Promise<ActionResult<AddedToGallery>>) => {
    setBusy(key);
    setError(null);
    const result = await call();
    setBusy(null);
    if (!result.ok) return setError(result.error.message);
    void qc.invalidateQueries({ queryKey: galleryKeys.all });
    const { added, skipped, galleryId } = result.data;
    const what = `${added} image${added === 1 ? '' : 's'}`;
    toast({
      message: `Added ${what} to “${result.data.title}”${skipped > 0 ? ` (${skipped} already there or not finished)` : ''}.`,
      action: { label: 'Open', onClick: () => router.push(`/galleries/${galleryId}`) },
    });
    onDone();
  };
  const payload = { variationIds: selection.variationIds ?? [], items: selection.items ?? [] };
  const create = (e: FormEvent) => {
    e.preventDefault();
    void finish('new', () => createGalleryAction({ title, ...payload }));
  };

  return (
    <>
      <form onSubmit={create} className="flex gap-2 border-b border-line px-4 py-3">
        <input
          aria-label="New gallery title"
          placeholder="New gallery title"
          value={title}
          maxLength={120}
          onChange={(e) => setTitle(e.target.value)}
          className="min-w-0 flex-1 rounded-md border border-line bg-canvas px-2.5 py-1.5 text-sm placeholder:text-faint"
        />
        <Button type="submit" variant="primary" disabled={busy !== null || title.trim() === ''}>
          {busy === 'new' ? <Loader2 size={14} className="animate-spin" aria-hidden /> : <Plus size={14} aria-hidden />} Create
        </Button>
      </form>
      {error && (
        <p role="alert" className="px-4 pt-3 text-sm text-danger">
          {error}
        </p>
      )}
      <ul aria-label="Galleries" className="max-h-72 overflow-y-auto px-2 py-2">
        {isPending && <li className="px-2 py-2 text-sm text-muted">Loading galleries…</li>}
        {galleries?.length === 0 && <li className="px-2 py-2 text-sm text-muted">No galleries yet: name a new one above.</li>}
        {galleries?.map((g) => (
          <li key={g.id}>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => void finish(g.id, () => addGalleryItemsAction({ galleryId: g.id, ...payload }))}
              aria-label={`Add to ${g.title}`}
              className={cn(
                'flex w-full items-center justify-between gap-3 rounded-md px-2 py-1.5 text-left text-sm hover:bg-raised disabled:opacity-60',
              )}
            >
              <span className="truncate">{g.title}</span>
              <span className="shrink-0 text-xs text-faint">
                {busy === g.id ? (
                  <Loader2 size={12} className="animate-spin" aria-hidden />
                ) : (
                  `${g.itemCount} item${g.itemCount === 1 ? '' : 's'}`
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
