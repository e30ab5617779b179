import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';
import { TOKEN, usePerimeterEnv } from './testing';

const setEnv = usePerimeterEnv();

function run(path: string, { method = 'GET', host = '127.0.0.1:3000', headers = {} as Record<string, string> } = {}) {
  const h = new Headers(headers);
  h.set('host', host);
  const res = proxy(new NextRequest(`http://localhost:3000${path}`, { method, headers: h }));
  return { res, passed: res.headers.get('x-middleware-next') === '1' };
}

const bearer = { authorization: 'Bearer ps_abcdefabcdef_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' };

describe('perimeter: bearer calls to /api/v1', () => {
  it('lets a bearer POST through without cookie or studio header (the route checks the token)', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/v1/runs', { method: 'POST', headers: bearer }).passed).toBe(true);
  });

  it('still refuses the same POST without a bearer: it needs the session and the studio header', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/v1/runs', { method: 'POST' }).res.status).toBe(403);
    expect(run('/api/v1/runs', { method: 'POST', headers: { 'x-proofsheet': '1' } }).res.status).toBe(401);
  });

  it('gives bearer no pass outside /api/v1', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/sessions', { method: 'POST', headers: bearer }).passed).toBe(false);
    expect(run('/', { headers: bearer }).passed).toBe(false);
  });

  it('keeps the Host allow-list for bearer calls (DNS rebinding)', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/v1/sessions', { host: 'attacker.example', headers: bearer }).res.status).toBe(421);
  });

  it('serves the OpenAPI document without a session, read-only', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/v1/openapi.json').passed).toBe(true);
    expect(run('/api/v1/openapi.json', { method: 'POST' }).passed).toBe(false);
  });

  it('without ACCESS_TOKEN answers bearer calls on loopback only', () => {
    expect(run('/api/v1/sessions', { headers: bearer }).passed).toBe(true);
  });
});
