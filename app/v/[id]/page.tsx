import { notFound } from 'next/navigation';
import { ProvenancePage } from '@/components/provenance/provenance-page';
import { getProvenance } from '@/lib/server/history/lineage';

export const dynamic = 'force-dynamic';

export default async function VariationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const data = await getProvenance(id);
  if (!data) notFound();
  return <ProvenancePage data={data} />;
}
