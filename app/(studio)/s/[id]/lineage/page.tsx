import { ForkIntake } from '@/components/studio/fork-intake';
import { LineagePane } from '@/components/studio/session-views';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ fork?: string }> };

/** The lineage tree is fetched on the client (and refreshed like the feed), not rendered here. */
export default async function SessionLineagePage({ params, searchParams }: Props) {
  const [{ id }, { fork }] = await Promise.all([params, searchParams]);
  return (
    <>
      <ForkIntake sessionId={id} variationId={fork} />
      <LineagePane />
    </>
  );
}
