import { listSessionRunsHandler } from '@/lib/server/api/handlers';

export const runtime = 'nodejs';
export const GET = listSessionRunsHandler;
