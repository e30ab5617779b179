import Link from 'next/link';
import { actionLink, StatusPage } from '@/components/ui/status-page';

/** A session id that does not exist, or a deleted session: shown beside the sessions list. */
export default function SessionNotFound() {
  return (
    <StatusPage
      title="Session not found"
      actions={
        <>
          <Link href="/" className={actionLink.primary}>
            Open the latest session
          </Link>
          <Link href="/trash" className={actionLink.secondary}>
            Open the trash
          </Link>
        </>
      }
    >
      <p>There is no session at this address. It may have been deleted: deleted sessions wait in the trash, where they can be restored.</p>
    </StatusPage>
  );
}
