import { notFound } from 'next/navigation';
import { ProvenancePage } from '@/components/provenance/provenance-page';
import { getContext } from '@/lib/server/context';
import { reviewsForVariation } from '@/lib/server/services/galleries-read';
import { getProvenance } from '@/lib/server/services/lineage';

export const dynamic = 'force-dynamic';

export default async function VariationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getContext();
  const [data, reviews] = await Promise.all([getProvenance(ctx, id), reviewsForVariation(ctx, id)]);
  if (!data) notFound();
  return <ProvenancePage data={data} reviews={reviews} />;
}
