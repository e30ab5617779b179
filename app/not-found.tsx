import Link from 'next/link';
import { actionLink, StatusPage } from '@/components/ui/status-page';

export default function NotFound() {
  return (
    <StatusPage
      title="Page not found"
      actions={
        <Link href="/" className={actionLink.primary}>
          Back to the studio
        </Link>
      }
    >
      <p>There is nothing at this address. Check the link, or start from the studio.</p>
    </StatusPage>
  );
}
