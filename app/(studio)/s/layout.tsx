import type { ReactNode } from 'react';
import { StudioFrame } from '@/components/studio/studio-frame';
import { getContext } from '@/lib/server/context';
import { listSessions } from '@/lib/server/services/sessions';

export const dynamic = 'force-dynamic';

/** The sessions sidebar, kept mounted while moving between sessions. */
export default async function SessionsLayout({ children }: { children: ReactNode }) {
  const sessions = await listSessions(await getContext(), {});
  return <StudioFrame sessions={sessions}>{children}</StudioFrame>;
}
