'use client';

import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Pencil, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { galleryKeys } from '@/lib/client/query-keys';
import type { GalleryActivity, GalleryDto } from '@/lib/schemas/gallery';
import { deleteGalleryAction, restoreGalleryAction, updateGalleryAction } from '@/lib/server/actions/galleries';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';
import { BlindPanel } from './blind-panel';
import { ExportButton } from './export-button';
import { GalleryItems } from './gallery-items';
import { ReviewSummary } from './review-summary';
import { SharePanel } from './share-panel';

type Props = { gallery: GalleryDto; activity: { seenAt: string | null; total: number; entries: GalleryActivity[] } };

/** A gallery for its designer: what reviewers said at the top, then the items to order and caption. */
export function GalleryView({ gallery, activity }: Props) {
  return (
    <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6">
      <nav className="mb-4 text-sm">
        <Link href="/galleries" className="inline-flex items-center gap-1 text-muted hover:text-ink">
          <ArrowLeft size={14} aria-hidden /> Galleries
        </Link>
      </nav>
      <GalleryHeader gallery={gallery} />
      <div className="mt-4 flex flex-wrap items-start gap-2">
        <SharePanel galleryId={gallery.id} />
        <BlindPanel galleryId={gallery.id} />
        <ExportButton galleryId={gallery.id} />
      </div>
      <ReviewSummary galleryId={gallery.id} review={gallery.review} activity={activity} />
      <GalleryItems galleryId={gallery.id} initial={gallery.items} />
    </main>
  );
}

function GalleryHeader({ gallery }: { gallery: GalleryDto }) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(gallery.title);
  const [description, setDescription] = useState(gallery.description);
  const [error, setError] = useState<string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await updateGalleryAction({ id: gallery.id, title, description });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setEditing(false);
    void qc.invalidateQueries({ queryKey: galleryKeys.all });
    router.refresh();
  };
  const remove = async () => {
    const r = await deleteGalleryAction({ id: gallery.id });
    if (!r.ok) return toast({ message: r.error.message, tone: 'error' });
    void qc.invalidateQueries({ queryKey: galleryKeys.all });
    router.push('/galleries');
    toast({
      message: `Deleted “${gallery.title}”.`,
      action: {
        label: 'Undo',
        onClick: () =>
          void restoreGalleryAction({ id: gallery.id }).then((u) => {
            void qc.invalidateQueries({ queryKey: galleryKeys.all });
            if (u.ok) router.push(`/galleries/${gallery.id}`);
            else toast({ message: u.error.message, tone: 'error' });
          }),
      },
    });
  };

  if (editing) {
    return (
      <form onSubmit={(e) => void save(e)} aria-label="Edit gallery" className="max-w-2xl space-y-2">
        <input
          aria-label="Gallery title"
          value={title}
          maxLength={120}
          onChange={(e) => setTitle(e.target.value)}
          className="w-full rounded-md border border-line bg-panel px-2.5 py-1.5 text-lg font-semibold"
        />
        <textarea
          aria-label="Gallery description"
          value={description}
          rows={3}
          maxLength={2000}
          placeholder="What reviewers should look for"
          onChange={(e) => setDescription(e.target.value)}
          className="w-full resize-y rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm placeholder:text-faint"
        />
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button type="submit" variant="primary">
            Save
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              setEditing(false);
              setTitle(gallery.title);
              setDescription(gallery.description);
              setError(null);
            }}
          >
            Cancel
          </Button>
        </div>
      </form>
    );
  }
  return (
    <header className="flex flex-wrap items-start gap-x-4 gap-y-2">
      <div className="min-w-[min(100%,16rem)] flex-1">
        <h1 className="break-words text-xl font-semibold tracking-tight">{gallery.title}</h1>
        {gallery.description ? (
          <p className="mt-1 max-w-2xl whitespace-pre-line text-sm text-muted">{gallery.description}</p>
        ) : (
          <p className="mt-1 text-sm text-faint">No description.</p>
        )}
      </div>
      <div className="flex flex-wrap gap-1">
        <Button size="sm" onClick={() => setEditing(true)}>
          <Pencil size={12} aria-hidden /> Edit title and description
        </Button>
        <Button size="sm" variant="ghost" className="text-danger" onClick={() => void remove()}>
          <Trash2 size={12} aria-hidden /> Delete gallery
        </Button>
      </div>
    </header>
  );
}
