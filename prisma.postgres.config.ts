import path from 'node:path';
import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration for PostgreSQL: the schema and migrations generated from
 * prisma/schema.prisma by scripts/db/postgres-schema.mjs (never edited by hand), and the
 * second client, lib/server/generated/prisma-pg. `npm install` generates it (postinstall).
 * The app applies these migrations itself at start (lib/server/db/postgres-migrate.ts), or
 * `npm run db:deploy` does as a deploy step, or `DATABASE_URL=postgresql://… npx prisma
 * migrate deploy --config prisma.postgres.config.ts`: all three keep `_prisma_migrations` alike.
 */
const repoRoot = import.meta.dirname;
// As in prisma.config.ts: the shim stands in for the native engine so the CLI downloads
// nothing; with a postgresql:// DATABASE_URL it runs `migrate deploy` and `migrate status`.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ||= path.join(repoRoot, 'scripts', 'schema-engine-shim.mjs');
process.env.CHECKPOINT_DISABLE ||= '1';

export default defineConfig({
  schema: path.join(repoRoot, 'prisma', 'postgres', 'schema.prisma'),
  migrations: { path: path.join(repoRoot, 'prisma', 'postgres', 'migrations') },
  datasource: {
    url: process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgresql://localhost:5432/proofsheet',
  },
});
