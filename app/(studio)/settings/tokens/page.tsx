import Link from 'next/link';
import { TokenManager } from '@/components/settings/token-manager';
import { PageHeader } from '@/components/ui/page-header';
import { getContext } from '@/lib/server/context';
import { listTokens } from '@/lib/server/services/tokens';

export const dynamic = 'force-dynamic';

export default async function TokensPage() {
  const tokens = await listTokens(await getContext());
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <PageHeader title="API tokens">
        Tokens let pipelines and scripts call the{' '}
        <Link href="/settings/api" className="underline">
          REST API
        </Link>{' '}
        with <code>Authorization: Bearer</code>. A token is shown once, when it is created; the server keeps only its hash.
      </PageHeader>
      <TokenManager initial={tokens} />
    </main>
  );
}
