import { notFound } from 'next/navigation';
import { ProvenancePage } from '@/components/provenance/provenance-page';
import { getContext } from '@/lib/server/context';
import { getProvenance } from '@/lib/server/services/lineage';

export const dynamic = 'force-dynamic';

export default async function VariationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const data = await getProvenance(await getContext(), id);
  if (!data) notFound();
  return <ProvenancePage data={data} />;
}
