import { cancelBatchHandler } from '@/lib/server/api/handlers';

export const runtime = 'nodejs';
export const POST = cancelBatchHandler;
