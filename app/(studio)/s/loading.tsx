import { LoadingState } from '@/components/ui/status-page';

export default function SessionLoading() {
  return <LoadingState label="Opening the session…" className="min-h-[60dvh]" />;
}
