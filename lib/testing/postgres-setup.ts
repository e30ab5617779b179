import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * globalSetup of the `postgres` vitest project: the server must answer, or the run fails here
 * with one message (never a skip: CI provides PostgreSQL, see .ci/run). Test files create
 * their own databases on it (lib/testing/temp-data.ts).
 */
export default async function setup(project: TestProject): Promise<void> {
  const server = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new Error(
      `The postgres test project needs a PostgreSQL server at TEST_DATABASE_URL (${server}) that may create databases: ${(e as Error).message}. ` +
        '.ci/run starts one; locally, start yours or leave TEST_DATABASE_URL and CI unset to run SQLite only.',
    );
  } finally {
    await client.end().catch(() => {});
  }
  project.provide('postgresTestServer', server);
}
