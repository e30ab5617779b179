import { notFound } from 'next/navigation';
import { BatchView } from '@/components/batches/batch-view';
import { PageHeader } from '@/components/ui/page-header';
import { getBatchView } from '@/lib/server/batches/view';
import { getContext } from '@/lib/server/context';
import { AppError } from '@/lib/server/errors';

export const dynamic = 'force-dynamic';

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const view = await getBatchView(await getContext(), id).catch((e) => {
    if (e instanceof AppError && e.code === 'not_found') notFound();
    throw e;
  });
  return (
    <main className="mx-auto max-w-6xl px-6 py-8">
      <PageHeader title="Batch">{view.instruction}</PageHeader>
      <BatchView initial={view} />
    </main>
  );
}
