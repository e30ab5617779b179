import { expect, test } from '@playwright/test';

test('a session or variation that does not exist says so, with a way back to the studio', async ({ page }) => {
  // The status is 200 once the page streams (loading states); the page itself must say it.
  await page.goto('/s/no-such-session');
  await expect(page.getByRole('heading', { name: 'Session not found' })).toBeVisible();
  // Beside the sessions list, so any other session is one click away.
  await expect(page.getByRole('navigation', { name: 'Sessions' })).toBeVisible();
  await page.getByRole('link', { name: 'Open the latest session' }).click();
  await expect(page).toHaveURL(/\/s\/[^/]+$/);
  await expect(page.getByLabel('Instruction')).toBeVisible();

  await page.goto('/v/no-such-variation');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the studio' })).toBeVisible();

  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the studio' }).click();
  await expect(page).toHaveURL(/\/s\/[^/]+$/);
});
