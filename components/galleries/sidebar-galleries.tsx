'use client';

import { useQuery } from '@tanstack/react-query';
import { GalleryHorizontalEnd } from 'lucide-react';
import Link from 'next/link';
import { galleryListQuery } from '@/lib/client/queries';

const RECENT = 4;

/** The sidebar's "Galleries" link with the most recently changed few under it. */
export function SidebarGalleries() {
  const { data } = useQuery({ ...galleryListQuery(), select: (list) => list.slice(0, RECENT) });
  return (
    <div>
      <Link href="/galleries" className="flex items-center gap-2 px-4 py-1.5 text-sm text-muted hover:text-ink">
        <GalleryHorizontalEnd size={15} aria-hidden /> Galleries
      </Link>
      {data && data.length > 0 && (
        <ul aria-label="Recent galleries" className="pb-1">
          {data.map((g) => (
            <li key={g.id}>
              <Link
                href={`/galleries/${g.id}`}
                prefetch={false}
                className="flex justify-between gap-2 py-0.5 pl-10 pr-4 text-xs text-muted hover:text-ink"
              >
                <span className="truncate">{g.title}</span>
                <span className="shrink-0 text-faint">{g.itemCount}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
