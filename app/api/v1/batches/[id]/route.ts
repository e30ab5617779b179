import { getBatchHandler } from '@/lib/server/api/handlers';

export const runtime = 'nodejs';
export const GET = getBatchHandler;
