import { StatusPage } from '@/components/ui/status-page';

/** An unknown review link: nothing about the studio behind it. */
export default function ReviewNotFound() {
  return (
    <StatusPage title="Review link not found">
      <p>Check that the link was copied whole, or ask the designer for a new one.</p>
    </StatusPage>
  );
}
