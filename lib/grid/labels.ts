import type { GridItem } from '@/lib/schemas/history';

/** "Variation K of run N · <target> · seed S": the image's alt and, prefixed, its checkbox's label. */
export function cellLabel(item: GridItem, targetLabel: string): string {
  return `Variation ${item.index + 1} of run ${item.runNumber} · ${targetLabel} · seed ${item.seed}`;
}

/** The gridcell's name: the label plus what the eye reads off the badges. */
export function cellStateLabel(item: GridItem, targetLabel: string): string {
  const parts = [cellLabel(item, targetLabel)];
  if (item.status === 'failed') parts.push(`failed${item.errorCode ? ` (${item.errorCode})` : ''}`);
  else if (item.status === 'cancelled') parts.push('cancelled');
  else if (item.status !== 'succeeded') parts.push(item.status);
  if (item.starred) parts.push('starred');
  if (item.rating !== null) parts.push(`rated ${item.rating} of 5`);
  return parts.join(', ');
}
