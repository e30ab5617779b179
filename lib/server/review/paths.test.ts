import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';
import { isMachineFacingPath, isPublicPath } from '../perimeter/paths';
import { TOKEN, usePerimeterEnv } from '../perimeter/testing';

const setEnv = usePerimeterEnv();

function run(path: string, method = 'GET', headers: Record<string, string> = {}) {
  const res = proxy(new NextRequest(`http://localhost:3000${path}`, { method, headers: { host: '127.0.0.1:3000', ...headers } }));
  return { status: res.status, passed: res.headers.get('x-middleware-next') === '1', headers: res.headers };
}

describe('review paths in the perimeter', () => {
  it('are public (the token is the credential) but not machine-facing', () => {
    expect(isPublicPath('/r/abc')).toBe(true);
    expect(isPublicPath('/api/review/abc/items/x/preview')).toBe(true);
    expect(isPublicPath('/review')).toBe(false);
    expect(isPublicPath('/api/reviews')).toBe(false);
    expect(isPublicPath('/rx/abc')).toBe(false);
    expect(isMachineFacingPath('/r/abc')).toBe(false);
  });

  it('pass without a studio session when sign-in is on; the studio next door does not', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/r/abc').passed).toBe(true);
    expect(run('/api/review/abc/items/x/preview').passed).toBe(true);
    expect(run('/r/../s/abc').passed).toBe(false);
    expect(run('/galleries').passed).toBe(false);
    expect(run('/api/assets/abc/preview').passed).toBe(false);
  });

  it('writes still need the same origin and the studio header', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    const same = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
    expect(run('/api/review/abc/verdicts', 'POST', { ...same, 'x-proofsheet': '1' }).passed).toBe(true);
    expect(run('/api/review/abc/verdicts', 'POST', same).status).toBe(403);
    expect(run('/api/review/abc/verdicts', 'POST', { origin: 'https://evil.example', 'x-proofsheet': '1' }).status).toBe(403);
  });

  it('send no Referer from a review page or its images (the token is in the path); the studio keeps same-origin', () => {
    const page = run('/r/abc').headers;
    expect(page.get('referrer-policy')).toBe('no-referrer');
    expect(page.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
    expect(run('/api/review/abc/items/x/preview').headers.get('referrer-policy')).toBe('no-referrer');
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/review/abc/verdicts', 'POST').headers.get('referrer-policy')).toBe('no-referrer');
    expect(run('/galleries').headers.get('referrer-policy')).toBe('same-origin');
  });
});
