import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { productImage } from './support/images';

test('a token created on the settings page calls the API until it is revoked', async ({ page, request }) => {
  await page.goto('/settings/tokens');
  await page.getByLabel('Token name').fill('e2e pipeline');
  await page.getByRole('checkbox', { name: /^Read/ }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^ps_[a-z0-9]{12}_[A-Za-z0-9_-]{32}$/);
  await expect(page.getByRole('button', { name: 'Copy api token' })).toBeVisible();

  // A pipeline: no cookie, no Origin, no studio header, only the bearer token.
  const auth = { Authorization: `Bearer ${token}` };
  const sessions = await request.get('/api/v1/sessions', { headers: auth });
  expect(sessions.status()).toBe(200);
  expect(await sessions.json()).toHaveProperty('sessions');

  const file = await productImage('api-token.png', '#2b8a3e');
  const upload = await request.post('/api/v1/uploads', {
    headers: { ...auth, 'Idempotency-Key': 'e2e-upload-1' },
    multipart: { file: { name: 'api-token.png', mimeType: 'image/png', buffer: readFileSync(file) } },
  });
  expect(upload.status()).toBe(201);
  expect((await upload.json()).asset.id).toBeTruthy();

  expect((await request.get('/api/v1/openapi.json')).status()).toBe(200);

  // Revoke it on the page: the very next call is refused.
  await page.reload();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Revoke e2e pipeline' }).click();
  await expect(page.getByTestId('token-row').filter({ hasText: 'e2e pipeline' })).toContainText('Revoked');
  const refused = await request.get('/api/v1/sessions', { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe('unauthorized');
});
