import { notFound } from 'next/navigation';
import { ForkIntake } from '@/components/studio/fork-intake';
import { RunsView } from '@/components/studio/session-views';
import { getContext } from '@/lib/server/context';
import { isAppError } from '@/lib/server/errors';
import { listRuns } from '@/lib/server/services/runs';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ fork?: string }> };

/** The run feed. Its first page is read on every visit, so coming back to it never shows a stale one. */
export default async function SessionPage({ params, searchParams }: Props) {
  const [{ id }, { fork }] = await Promise.all([params, searchParams]);
  const firstPage = await listRuns(await getContext(), { sessionId: id }).catch((e: unknown) => {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  });
  return (
    <>
      <ForkIntake sessionId={id} variationId={fork} />
      <RunsView firstPage={firstPage} />
    </>
  );
}
