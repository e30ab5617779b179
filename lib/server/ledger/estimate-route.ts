import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import { apiEstimateQuerySchema } from '@/lib/schemas/ledger';
import { defineApiRoute } from '../api/route';
import { AppError } from '../errors';
import { previewRun } from './budget-gate';

/**
 * GET /api/v1/estimate: what a run would cost before it is created, with the budget warnings
 * and the refusal it would meet; the same figures as beside Generate.
 */
export const estimateHandler = defineApiRoute(
  { name: 'v1.estimate', scope: 'read', query: apiEstimateQuerySchema },
  async (ctx, { query }) => {
    const unknown = query.targets.find((id) => !findTarget(id));
    if (unknown) throw new AppError('invalid_input', `Unknown target “${unknown}”.`, { fields: { targets: 'Unknown target.' } });
    if (query.targets.length > 16) throw new AppError('invalid_input', 'At most 16 targets.', { fields: { targets: 'Too many.' } });
    return previewRun(ctx, {
      targets: query.targets,
      count: query.count,
      size: query.size,
      referenceIds: query.referenceId ? [query.referenceId] : undefined,
      sessionId: query.sessionId,
    });
  },
);
