import { ForkIntake } from '@/components/studio/fork-intake';
import { GridView } from '@/components/studio/session-views';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ fork?: string }> };

export default async function SessionGridPage({ params, searchParams }: Props) {
  const [{ id }, { fork }] = await Promise.all([params, searchParams]);
  return (
    <>
      <ForkIntake sessionId={id} variationId={fork} />
      <GridView />
    </>
  );
}
