import { pauseBatchHandler } from '@/lib/server/api/handlers';

export const runtime = 'nodejs';
export const POST = pauseBatchHandler;
