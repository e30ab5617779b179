import { TrashList } from '@/components/trash/trash-list';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { env } from '@/lib/server/env';
import { listTrash } from '@/lib/server/services/trash';

export const dynamic = 'force-dynamic';

export default async function TrashPage() {
  const entries = await listTrash(await getContext());
  return (
    <main className="mx-auto max-w-4xl px-6 py-8">
      <PageHeader title="Trash">
        Deleted sessions, runs and variations. Restore puts an item back where it was; after {env().TRASH_RETENTION_DAYS} days it is deleted
        for good, with its images.
      </PageHeader>
      <TrashList initial={entries} />
    </main>
  );
}
