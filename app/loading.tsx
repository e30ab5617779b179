import { LoadingState } from '@/components/ui/status-page';

export default function Loading() {
  return <LoadingState className="min-h-[60dvh]" />;
}
