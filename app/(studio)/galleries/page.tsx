import { GalleryList } from '@/components/galleries/gallery-list';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { listGalleries } from '@/lib/server/services/galleries';

export const dynamic = 'force-dynamic';

export default async function GalleriesPage() {
  const galleries = await listGalleries(await getContext());
  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
      <PageHeader title="Galleries">
        Ordered picks to share with reviewers. Add images from a run, the grid, the lineage or the compare tray with “Add to gallery”.
      </PageHeader>
      <GalleryList initial={galleries} />
    </main>
  );
}
