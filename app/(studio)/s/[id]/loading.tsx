import { LoadingState } from '@/components/ui/status-page';

/** Shown in the view area only: the composer beside it stays as it is. */
export default function ViewLoading() {
  return <LoadingState />;
}
