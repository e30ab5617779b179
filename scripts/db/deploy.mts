/**
 * `npm run db:deploy`: applies pending migrations to the configured database and exits, as a
 * deploy step before starting servers and workers (which would otherwise each do it at start,
 * taking turns). SQLite: prisma/migrations; PostgreSQL (DATABASE_URL=postgresql://…):
 * prisma/postgres/migrations. Reads .env files like the app.
 */
import { createRequire } from 'node:module';

const requireFromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
requireFromNext('@next/env').loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', { info: () => {}, error: console.error });

const { prepareDatabaseOrExit } = await import('@/lib/server/db/startup');
await prepareDatabaseOrExit();
const { databaseConfig, describeDatabase } = await import('@/lib/server/db/client');
console.log(`[db] up to date: ${describeDatabase(databaseConfig())}`);
process.exit(0);
