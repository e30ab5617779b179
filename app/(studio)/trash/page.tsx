import { TrashList } from '@/components/trash/trash-list';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { listTrash } from '@/lib/server/services/trash';

export const dynamic = 'force-dynamic';

export default async function TrashPage() {
  const entries = await listTrash(await getContext());
  return (
    <main className="mx-auto max-w-4xl px-6 py-8">
      <PageHeader title="Trash">Deleted sessions, runs and variations. Nothing here is gone: restore puts it back where it was.</PageHeader>
      <TrashList initial={entries} />
    </main>
  );
}
