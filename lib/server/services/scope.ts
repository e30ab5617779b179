import 'server-only';
import type { Prisma } from '../generated/prisma/client';
import type { Ctx } from '../context';

/**
 * Where-clauses that keep every query inside the caller's workspace (dub's `where: { projectId }`
 * habit). Runs and variations are owned through their session. A row of another workspace is
 * indistinguishable from a row that does not exist.
 */
export const inWorkspace = {
  session: (ctx: Ctx): Prisma.SessionWhereInput => ({ workspaceId: ctx.workspaceId }),
  run: (ctx: Ctx): Prisma.RunWhereInput => ({ session: { workspaceId: ctx.workspaceId } }),
  variation: (ctx: Ctx): Prisma.VariationWhereInput => ({ run: { session: { workspaceId: ctx.workspaceId } } }),
  tray: (ctx: Ctx): Prisma.TrayItemWhereInput => ({ workspaceId: ctx.workspaceId }),
};
