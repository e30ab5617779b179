'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Images, Plus } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { galleryListQuery } from '@/lib/client/queries';
import { galleryKeys } from '@/lib/client/query-keys';
import type { GalleryListItem } from '@/lib/schemas/gallery';
import { assetUrl } from '@/lib/schemas/run';
import { createGalleryAction } from '@/lib/server/actions/galleries';
import { Button } from '../ui/button';
import { ReviewBadge } from './review-badge';

/** The galleries, newest change first, and a form to start an empty one. */
export function GalleryList({ initial }: { initial: GalleryListItem[] }) {
  const { data: galleries } = useQuery({ ...galleryListQuery(), initialData: initial });
  return (
    <div className="mt-6 space-y-6">
      <NewGalleryForm />
      {galleries.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed border-line px-6 py-12 text-center text-muted">
          <Images size={28} aria-hidden className="text-faint" />
          <p className="text-sm font-medium text-ink">No galleries yet</p>
          <p className="max-w-sm text-sm">Select variations in a session’s grid and choose “Add to gallery”, or name an empty one above.</p>
        </div>
      ) : (
        <ul aria-label="Galleries" className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {galleries.map((g) => (
            <li key={g.id}>
              <Link
                href={`/galleries/${g.id}`}
                className="group flex h-full flex-col overflow-hidden rounded-xl border border-line bg-panel hover:border-accent focus-visible:border-accent"
              >
                <div className="checker aspect-[4/3] overflow-hidden border-b border-line">
                  {g.cover ? (
                    <img src={assetUrl(g.cover.sha256, 'thumb')} alt="" loading="lazy" className="size-full object-cover" />
                  ) : (
                    <div className="flex size-full items-center justify-center bg-raised text-xs text-faint">Empty</div>
                  )}
                </div>
                <div className="flex flex-1 flex-col gap-1 px-3 py-2.5">
                  <span className="truncate text-sm font-medium text-ink">{g.title}</span>
                  {g.description && <span className="line-clamp-2 text-xs text-muted">{g.description}</span>}
                  <span className="mt-auto flex flex-wrap items-center justify-between gap-2 pt-1 text-xs text-faint">
                    <span>
                      {g.itemCount} item{g.itemCount === 1 ? '' : 's'} · {new Date(g.updatedAt).toLocaleDateString()}
                      {g.mode === 'blind' ? ' · blind' : ''}
                    </span>
                    <ReviewBadge review={g.review} />
                  </span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewGalleryForm() {
  const router = useRouter();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await createGalleryAction({ title });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    void qc.invalidateQueries({ queryKey: galleryKeys.all });
    router.push(`/galleries/${r.data.galleryId}`);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="New gallery" className="flex max-w-xl flex-wrap items-start gap-2">
      <input
        aria-label="Gallery title"
        placeholder="Name a new gallery"
        value={title}
        maxLength={120}
        onChange={(e) => setTitle(e.target.value)}
        aria-invalid={error ? true : undefined}
        className="min-w-0 flex-1 rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm placeholder:text-faint"
      />
      <Button type="submit" variant="primary" disabled={busy || title.trim() === ''}>
        <Plus size={14} aria-hidden /> New gallery
      </Button>
      {error && (
        <p role="alert" className="w-full text-sm text-danger">
          {error}
        </p>
      )}
    </form>
  );
}
