import { estimateHandler } from '@/lib/server/ledger/estimate-route';

export const runtime = 'nodejs';
export const GET = estimateHandler;
