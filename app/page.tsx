import { redirect } from 'next/navigation';
import { getContext } from '@/lib/server/context';
import { latestOrNewSession } from '@/lib/server/services/sessions';

export const dynamic = 'force-dynamic';

/** A visit opens the most recent session (or a new one on a fresh install). */
export default async function Home() {
  redirect(`/s/${await latestOrNewSession(await getContext())}`);
}
