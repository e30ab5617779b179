import Link from 'next/link';
import { ApiReference } from '@/components/settings/api-reference';
import { PageHeader } from '@/components/ui/page-header';
import { openApiDocument } from '@/lib/server/api/openapi';

export const dynamic = 'force-dynamic';

/** The REST API's reference, rendered on the server from the same document the API serves (no scripts). */
export default function ApiDocsPage() {
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <PageHeader title="REST API">
        Every operation of <code>/api/v1</code>, generated from the schemas the server validates with. Send a token from{' '}
        <Link href="/settings/tokens" className="underline">
          API tokens
        </Link>{' '}
        as <code>Authorization: Bearer ps_…</code>. The machine-readable document is at{' '}
        <a href="/api/v1/openapi.json" className="underline">
          /api/v1/openapi.json
        </a>
        .
      </PageHeader>
      <ApiReference doc={openApiDocument() as Parameters<typeof ApiReference>[0]['doc']} />
    </main>
  );
}
