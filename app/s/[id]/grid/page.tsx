import { SessionScreen } from '@/components/studio/session-screen';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ fork?: string }> };

export default async function SessionGridPage({ params, searchParams }: Props) {
  const [{ id }, { fork }] = await Promise.all([params, searchParams]);
  return <SessionScreen id={id} view="grid" fork={fork} />;
}
