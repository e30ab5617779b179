import { notFound } from 'next/navigation';
import { GalleryView } from '@/components/galleries/gallery-view';
import { getContext } from '@/lib/server/context';
import { isAppError } from '@/lib/server/errors';
import { galleryActivity, getGallery } from '@/lib/server/services/galleries';

export const dynamic = 'force-dynamic';

export default async function GalleryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getContext();
  try {
    // Activity is read before the page marks the gallery seen, so this visit still shows what is new.
    const [gallery, activity] = await Promise.all([getGallery(ctx, id), galleryActivity(ctx, id)]);
    return <GalleryView gallery={gallery} activity={activity} />;
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  }
}
