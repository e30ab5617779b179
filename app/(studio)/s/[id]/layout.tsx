import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { SessionWorkspace } from '@/components/studio/session-workspace';
import { StudioProvider } from '@/components/studio/studio';
import { SessionEvents } from '@/lib/client/use-session-events';
import { getContext } from '@/lib/server/context';
import { loadStudio } from '@/lib/server/services/studio';

export const dynamic = 'force-dynamic';

type Props = { children: ReactNode; params: Promise<{ id: string }> };

/**
 * A session: the composer and its draft live here, so switching Runs / Grid / Lineage (the
 * pages below) swaps only the view and keeps what is being composed.
 */
export default async function SessionLayout({ children, params }: Props) {
  const { id } = await params;
  const data = await loadStudio(await getContext(), id);
  if (!data) notFound();
  return (
    <StudioProvider key={data.session.id} session={data.session} targets={data.targets} engineHelp={data.engineHelp} draft={data.draft}>
      <SessionEvents sessionId={data.session.id} />
      <SessionWorkspace>{children}</SessionWorkspace>
    </StudioProvider>
  );
}
