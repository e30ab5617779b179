import Link from 'next/link';
import { actionLink, StatusPage } from '@/components/ui/status-page';

/** A variation, session or page of the studio that does not exist (or is in the trash). */
export default function StudioNotFound() {
  return (
    <StatusPage
      title="Not found"
      actions={
        <>
          <Link href="/" className={actionLink.primary}>
            Back to the studio
          </Link>
          <Link href="/trash" className={actionLink.secondary}>
            Open the trash
          </Link>
        </>
      }
    >
      <p>This image or page does not exist. If it was deleted, the trash can put it back.</p>
    </StatusPage>
  );
}
