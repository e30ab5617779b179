import { listSessionsHandler } from '@/lib/server/api/handlers';

export const runtime = 'nodejs';
export const GET = listSessionsHandler;
