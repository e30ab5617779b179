import { mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startApp, type AppServer } from './support/app-server';
import { productImage } from './support/images';

// A second server as a LAN user runs it: bound to every interface, with a sign-in secret.
const PORT = 3212;
const TOKEN = 'e2e-perimeter-token-4f1d9c';

let app: AppServer;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-perimeter-'));
  app = await startApp(PORT, dataDir, { HOST: '0.0.0.0', ACCESS_TOKEN: TOKEN });
});
test.afterAll(async () => app?.kill('SIGTERM'));

/** Files in the blob store, however it nests them. */
function storedBlobs(): number {
  try {
    return readdirSync(path.join(dataDir, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

async function signIn(page: Page, next = '/'): Promise<void> {
  await page.goto(`${app.url}${next}`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  // `/` forwards to the latest session with a streamed redirect: wait for it to land, or it can
  // abort the test's next navigation.
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in') && url.pathname !== '/');
}

/** A GET or POST on a raw socket, so Host says what the test wants. */
function raw(pathname: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: PORT, path: pathname, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the sign-in flow: a page sends you to sign in, a wrong token is refused, the right one opens the studio, sign-out closes it', async ({
  page,
}) => {
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  await page.goto(`${app.url}/trash`);
  await expect(page).toHaveURL(`${app.url}/sign-in?next=%2Ftrash`);
  await expect(page.getByRole('heading', { name: 'Sign in to Proofsheet' })).toBeVisible();
  // No studio chrome before sign-in.
  await expect(page.getByRole('button', { name: 'New session' })).toHaveCount(0);

  await page.getByLabel('Access token').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // (Next.js keeps an empty route announcer with role alert too.)
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText('That access token is not right.');
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${app.url}/trash`);

  const cookies = await page.context().cookies(app.url);
  const session = cookies.find((c) => c.name === 'proofsheet_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });

  // The studio itself works under the page policy (nonce on Next's scripts and the theme script).
  const res = await page.goto(app.url);
  await expect(page).toHaveURL(/\/s\//);
  await expect(page.getByLabel('Reference images')).toBeAttached();
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(res?.headers()['x-frame-options']).toBe('DENY');
  expect(res?.headers()['x-content-type-options']).toBe('nosniff');
  // An upload from the studio's own page goes through (same origin, its header, the session).
  await page.getByLabel('Reference images').setInputFiles(await productImage('perimeter.png', '#0b7285'));
  await expect(page.getByRole('img', { name: /^Image 1: perimeter\.png/ })).toBeVisible();
  expect(cspViolations).toEqual([]);

  await page.goto(`${app.url}/sign-out`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${app.url}/sign-in`);
  await page.goto(`${app.url}/settings`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings/);
  const api = await page.request.get(`${app.url}/api/sessions`);
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe('unauthorized');
});

test('a form on another site cannot post an upload to the studio, even while signed in', async ({ page }) => {
  await signIn(page);
  const image = await productImage('cross-site.png', '#c92a2a');
  // The other site: same machine, another port (same-site, so the Strict cookie is even sent).
  const attacker = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(`<!doctype html><title>Win a prize</title>
      <form method="post" action="${app.url}/api/uploads" enctype="multipart/form-data">
        <input type="file" name="file" aria-label="file"><button>Claim</button>
      </form>
      <script>
        window.viaFetch = () => {
          const form = new FormData(document.forms[0]);
          return fetch('${app.url}/api/uploads', { method: 'POST', body: form, mode: 'no-cors', credentials: 'include' }).then(() => 'sent', () => 'failed');
        };
      </script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  try {
    const before = storedBlobs();
    await page.goto(attackerUrl);
    await page.getByLabel('file').setInputFiles(image);

    // A script on that page, no-cors (an opaque answer it cannot read, but the request is sent).
    const fetched = page.waitForResponse((r) => r.url() === `${app.url}/api/uploads`);
    await page.evaluate(() => (window as unknown as { viaFetch: () => Promise<string> }).viaFetch());
    expect((await fetched).status()).toBe(403);

    // A plain form submission: a navigation to the studio, refused.
    const posted = page.waitForResponse((r) => r.url() === `${app.url}/api/uploads`);
    await page.getByRole('button', { name: 'Claim' }).click();
    const response = await posted;
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden');
    expect(storedBlobs()).toBe(before);
  } finally {
    await new Promise((resolve) => attacker.close(resolve));
  }
});

test('a foreign Host gets 421, a loopback one the sign-in rules', async () => {
  const foreign = await raw('/api/health', { Host: `attacker.example:${PORT}` });
  expect(foreign.status).toBe(421);
  expect((await raw('/', { Host: 'attacker.example' })).status).toBe(421);
  expect((await raw('/api/health', { Host: `127.0.0.1:${PORT}` })).status).toBe(200);
  const unauthenticated = await raw('/api/sessions', { Host: `localhost:${PORT}` });
  expect(unauthenticated.status).toBe(401);
  expect(JSON.parse(unauthenticated.body)).toEqual({ error: { code: 'unauthorized', message: 'Sign in to use the studio.' } });
});
