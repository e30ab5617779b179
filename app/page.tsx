import { redirect } from 'next/navigation';
import { latestOrNewSession } from '@/lib/server/queries/sessions';

export const dynamic = 'force-dynamic';

/** A visit opens the most recent session (or a new one on a fresh install). */
export default async function Home() {
  redirect(`/s/${await latestOrNewSession()}`);
}
