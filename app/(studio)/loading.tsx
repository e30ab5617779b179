import { LoadingState } from '@/components/ui/status-page';

export default function StudioLoading() {
  return <LoadingState className="min-h-[60dvh]" />;
}
