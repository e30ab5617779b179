import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('./db/client');
const { blobStore } = await import('./storage');
const { GET } = await import('@/app/api/health/route');
const { GET: ready } = await import('@/app/api/ready/route');

// The server migrates before it answers (instrumentation.ts); here the first query does, so first.
beforeAll(async () => {
  await db().session.count();
});

const get = (query = '') => GET(new Request(`http://localhost/api/health${query}`));

describe('health and readiness', () => {
  it('liveness answers without touching anything', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('readiness checks the database, its migrations and the blob store', async () => {
    const res = await get('?ready=1');
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'migrations', 'storage', 'worker']);
    expect((await ready()).status).toBe(200);
  });

  it('is not ready when the blob store fails, and says which check failed without its details', async () => {
    const spy = vi.spyOn(blobStore(), 'head').mockRejectedValue(new Error('connect ECONNREFUSED 10.1.2.3:9000'));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await get('?ready=1');
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body.checks.storage.ok).toBe(false);
      expect(body.checks.database.ok).toBe(true);
      expect(JSON.stringify(body)).not.toContain('10.1.2.3');
    } finally {
      spy.mockRestore();
      vi.mocked(console.error).mockRestore();
    }
  });

  it('is not ready when a migration of this build is not applied', async () => {
    const [last] = (await db().$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`,
    )) as [{ migration_name: string }];
    await db().$executeRawUnsafe(
      `UPDATE "_prisma_migrations" SET "migration_name" = 'renamed' WHERE "migration_name" = '${last.migration_name}'`,
    );
    vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await ready();
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body.checks.migrations).toMatchObject({ ok: false, error: `not applied: ${last.migration_name}` });
    } finally {
      await db().$executeRawUnsafe(
        `UPDATE "_prisma_migrations" SET "migration_name" = '${last.migration_name}' WHERE "migration_name" = 'renamed'`,
      );
      vi.mocked(console.error).mockRestore();
    }
  });
});
