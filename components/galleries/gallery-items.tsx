'use client';

import { useQueryClient } from '@tanstack/react-query';
import { Images } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { galleryKeys } from '@/lib/client/query-keys';
import { moveItem } from '@/lib/galleries/order';
import type { GalleryItemDto } from '@/lib/schemas/gallery';
import { useUndo } from '@/lib/client/use-undo';
import {
  captionGalleryItemAction,
  removeGalleryItemAction,
  reorderGalleryAction,
  restoreGalleryItemAction,
} from '@/lib/server/actions/galleries';
import { useToast } from '../ui/toaster';
import { GalleryItemCard, itemName } from './gallery-item-card';

type Props = { galleryId: string; initial: GalleryItemDto[] };

/**
 * The gallery's items in order. Reordering works three ways, all through one "set the whole
 * order" action: drag and drop (native HTML5: no dependency, and the list is small), the
 * "Move earlier" / "Move later" buttons, and Alt+Arrow keys on a focused item. Changes show at
 * once and roll back, with a message, if the server refuses them.
 */
export function GalleryItems({ galleryId, initial }: Props) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const undo = useUndo();
  const [items, setItems] = useState(initial);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const focusAfter = useRef<{ id: string; control: string } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // A server refresh (after an edit elsewhere on the page) brings the stored order back in.
  useEffect(() => setItems(initial), [initial]);

  useEffect(() => {
    const want = focusAfter.current;
    if (!want) return;
    focusAfter.current = null;
    const li = listRef.current?.querySelector<HTMLElement>(`[data-item-id="${want.id}"]`);
    const control = li?.querySelector<HTMLElement>(`[data-control="${want.control}"]:not(:disabled)`);
    (control ?? li)?.focus();
  });

  const failed = (message: string) => {
    toast({ message, tone: 'error' });
    router.refresh();
  };

  const reorder = async (next: GalleryItemDto[], moved: GalleryItemDto, control: string) => {
    const before = items;
    setItems(next);
    focusAfter.current = { id: moved.id, control };
    const at = next.findIndex((i) => i.id === moved.id);
    setAnnouncement(`${itemName(moved)} moved to position ${at + 1} of ${next.length}.`);
    const r = await reorderGalleryAction({ galleryId, itemIds: next.map((i) => i.id) });
    if (!r.ok) {
      setItems(before);
      failed(r.error.message);
    } else void qc.invalidateQueries({ queryKey: galleryKeys.all });
  };

  const move = (from: number, to: number, control: string) => {
    const item = items[from];
    if (!item || to < 0 || to >= items.length || to === from) return;
    void reorder(moveItem(items, from, to), item, control);
  };

  const remove = async (item: GalleryItemDto) => {
    const before = items;
    const index = items.indexOf(item);
    setItems(items.filter((i) => i.id !== item.id));
    const neighbour = items[index + 1] ?? items[index - 1];
    if (neighbour) focusAfter.current = { id: neighbour.id, control: 'remove' };
    setAnnouncement(`${itemName(item)} removed from the gallery.`);
    const saved = removeGalleryItemAction({ galleryId, itemId: item.id }).then((r) => {
      if (!r.ok) {
        setItems(before);
        failed(r.error.message);
      } else void qc.invalidateQueries({ queryKey: galleryKeys.all });
      return r.ok;
    });
    const entry = { id: undo.nextId(), label: 'remove from gallery', value: undefined, revert: () => putBack(item, index) };
    undo.push(entry, saved);
    if (await saved) undo.offer(entry, `Removed ${itemName(item)} from the gallery.`);
  };

  /** The toast's Undo: the same item (its id keeps its verdicts) back where it was. */
  const putBack = (item: GalleryItemDto, index: number) => {
    setItems((list) => (list.some((i) => i.id === item.id) ? list : [...list.slice(0, index), item, ...list.slice(index)]));
    focusAfter.current = { id: item.id, control: 'remove' };
    setAnnouncement(`${itemName(item)} is back in the gallery.`);
    const saved = restoreGalleryItemAction({
      galleryId,
      itemId: item.id,
      assetId: item.asset.id,
      variationId: item.variation?.id ?? null,
      caption: item.caption,
      position: index,
    }).then((r) => {
      if (!r.ok) failed(r.error.message);
      else {
        void qc.invalidateQueries({ queryKey: galleryKeys.all });
        router.refresh();
      }
      return r.ok;
    });
    return { shown: Promise.resolve(), saved };
  };

  const caption = async (item: GalleryItemDto, text: string) => {
    const r = await captionGalleryItemAction({ galleryId, itemId: item.id, caption: text });
    if (!r.ok) return failed(r.error.message);
    setItems((list) => list.map((i) => (i.id === item.id ? { ...i, caption: r.data.caption } : i)));
  };

  if (items.length === 0) {
    return (
      <div className="mt-6 flex flex-col items-center gap-2 rounded-xl border border-dashed border-line px-6 py-12 text-center text-muted">
        <Images size={28} aria-hidden className="text-faint" />
        <p className="text-sm font-medium text-ink">This gallery is empty</p>
        <p className="max-w-sm text-sm">
          In a session, select variations in the grid (or open a run) and choose “Add to gallery”; the compare tray has it too.
        </p>
      </div>
    );
  }
  return (
    <section aria-label="Items" className="mt-6">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold">
          {items.length} item{items.length === 1 ? '' : 's'}
        </h2>
        <p className="text-xs text-muted">
          Drag to reorder, or focus an item and press <kbd className="rounded border border-line px-1 font-mono">Alt</kbd>+
          <kbd className="rounded border border-line px-1 font-mono">←</kbd>/
          <kbd className="rounded border border-line px-1 font-mono">→</kbd>
        </p>
      </div>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      <ol
        ref={listRef}
        aria-label="Gallery items"
        className="grid grid-cols-1 gap-4 min-[480px]:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4"
        onDragOver={(e) => dragging && e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const from = items.findIndex((i) => i.id === dragging);
          if (from >= 0 && dropAt !== null) move(from, dropAt, 'handle');
          setDragging(null);
          setDropAt(null);
        }}
      >
        {items.map((item, index) => (
          <GalleryItemCard
            key={item.id}
            item={item}
            index={index}
            count={items.length}
            dragging={dragging === item.id}
            dropTarget={dragging !== null && dropAt === index && dragging !== item.id}
            onDragStart={() => setDragging(item.id)}
            onDragEnd={() => {
              setDragging(null);
              setDropAt(null);
            }}
            onDragEnter={() => dragging && setDropAt(index)}
            onMove={(to, control) => move(index, to, control)}
            onRemove={() => void remove(item)}
            onCaption={(text) => void caption(item, text)}
          />
        ))}
      </ol>
    </section>
  );
}
