import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { generate, newSession, selectInGrid, variations } from './support/studio';

const ENGINE = 'Offline engine (non-generative)';
const WAVESPEED = 'Wan 2.7 image edit (WaveSpeed)';
/** What would tell a blind reviewer which image came from where. */
const PROVIDER_NAMES = /wavespeed|wan[ -]?2\.7|offline engine|engine-v1|offline:|non-generative/i;
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const SHOTS = process.env.REVIEW_SCREENSHOTS;

/** Selects every cell of the session's grid and adds them to a new gallery through the real dialog; returns on its page. */
async function galleryFromGrid(page: Page, title: string, cellCount: number, take = cellCount): Promise<void> {
  await selectInGrid(page, cellCount, take);
  await page.getByRole('toolbar', { name: 'Selected variations' }).getByRole('button', { name: 'Add to gallery' }).click();
  const dialog = page.getByRole('dialog', { name: /^Add to gallery/ });
  await dialog.getByLabel('New gallery title').fill(title);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

/** Share → a new review link; returns its path (/r/<token>). */
async function shareLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share for review' });
  await dialog.getByRole('button', { name: /Create review link|Make a new link/ }).click();
  const url = await dialog.getByLabel('Review link', { exact: true }).inputValue();
  expect(url).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  // The test server is on 127.0.0.1 without PUBLIC_BASE_URL: the panel says the link is this machine's only.
  await expect(dialog.getByRole('note')).toContainText('opens on this computer only');
  await shot(page, 'designer-share-created', [1440]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  return new URL(url).pathname;
}

/**
 * Moves a link's expiry into the past in the server's database (no test-only route exists in the
 * app): the next request through it meets an expired link, as it would a day later.
 */
function expireLink(token: string): void {
  const file = path.join(process.env.E2E_DATA_DIR!, 'proofsheet.db');
  const sqlite = new Database(file, { timeout: 10_000 });
  try {
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    const past = new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00');
    expect(sqlite.prepare('UPDATE ShareLink SET expiresAt = ? WHERE hash = ?').run(past, hash).changes).toBe(1);
  } finally {
    sqlite.close();
  }
}

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext(PHONE);
  return context.newPage();
}

async function shot(page: Page, name: string, widths: number[]): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
}

test('share a gallery: a phone reviewer approves and rejects, the designer sees both; revoke; other galleries stay out; blind votes hide providers', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // Designer: one instruction across two targets (the engine and the WaveSpeed fake), two each.
  await newSession(page);
  const sessionUrl = page.url();
  await generate(page, 'Remove the background and replace it with white studio', 2, 'review.png', '#1971c2', [
    /^Wan 2\.7 image edit \(WaveSpeed\)/,
  ]);
  const run = page.getByRole('article', { name: 'Run 1' });
  for (const group of [ENGINE, WAVESPEED])
    await expect(run.getByRole('region', { name: group }).getByRole('img', { name: /^Variation/ })).toHaveCount(2, { timeout: 30_000 });
  await expect(variations(page)).toHaveCount(4);

  const title = `Hero shots ${Date.now()}`;
  await galleryFromGrid(page, title, 4);
  const galleryUrl = page.url();
  const studioAsset = await page.locator('img[src^="/api/assets/"]').first().getAttribute('src');
  const reviewPath = await shareLink(page);
  const token = reviewPath.split('/').pop()!;

  // Reviewer on a phone: no studio session, a name once, approve one, reject one with a comment.
  const pm = await phone(browser);
  const opened = await pm.goto(reviewPath);
  // The token is in the URL: the page sends no Referer anywhere and keeps the studio's page policy.
  expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
  expect(opened?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  await expect(pm.getByRole('heading', { name: title })).toBeVisible();
  await expect(pm.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await pm.getByLabel('Your name').fill('Priya PM');
  await pm.getByRole('button', { name: 'Start reviewing' }).click();
  await expect(pm.getByText('Reviewing as')).toContainText('Priya PM');
  await expect(pm.getByRole('region', { name: 'Image 1 of 4' })).toBeVisible();
  await pm.getByRole('button', { name: 'Approve' }).click();
  await expect(pm.getByRole('status').filter({ hasText: 'Saved: Approved.' })).toBeVisible();
  await expect(pm.getByRole('list', { name: 'Verdicts' })).toContainText('Priya PM');

  // Details on demand: the instruction and the reference, served through the link.
  await pm.getByRole('button', { name: 'Details' }).click();
  await expect(pm.getByRole('region', { name: 'Details' })).toContainText('Remove the background and replace it with white studio');
  const ref = pm.getByRole('region', { name: 'Details' }).getByRole('img', { name: 'Reference 1' });
  await expect(ref).toHaveAttribute('src', new RegExp(`^/api/review/${token}/items/`));
  await expect.poll(() => ref.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await pm.getByRole('button', { name: 'Next image' }).click();
  await expect(pm.getByRole('region', { name: 'Image 2 of 4' })).toBeVisible();
  await pm.getByLabel('Comment', { exact: true }).fill('The shadow is too harsh; soften it.');
  await pm.getByRole('button', { name: 'Reject' }).click();
  await expect(pm.getByRole('status').filter({ hasText: 'Saved: Rejected.' })).toBeVisible();
  await expect(pm.getByRole('list', { name: 'Verdicts' })).toContainText('The shadow is too harsh');
  // Swipe with a real touch (CDP touch events, as a phone sends them): left goes on, right comes back.
  // The Reject click scrolled the page: bring the image back under the finger first.
  const main = pm.getByRole('region', { name: 'Image 2 of 4' }).getByRole('img').first();
  await main.scrollIntoViewIfNeeded();
  const stage = await main.boundingBox();
  const cdp = await pm.context().newCDPSession(pm);
  const swipe = async (dx: number) => {
    const x = stage!.x + stage!.width / 2;
    const y = stage!.y + stage!.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 6; i++)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + (dx * i) / 6, y: y + i }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  await swipe(-120);
  await expect(pm.getByRole('region', { name: 'Image 3 of 4' })).toBeVisible();
  await swipe(120);
  await expect(pm.getByRole('region', { name: 'Image 2 of 4' })).toBeVisible();
  await pm.getByLabel('Gallery comment').fill('Overall close; prefer the brighter ones.');
  await pm.getByRole('button', { name: 'Post comment' }).click();
  await expect(pm.getByRole('region', { name: 'Comments on the gallery' })).toContainText('prefer the brighter ones');
  // The name is remembered on this device.
  await pm.reload();
  await expect(pm.getByText('Reviewing as')).toContainText('Priya PM');
  await expect(pm.getByLabel('Your name')).toHaveCount(0);
  // Compare two items, side by side then slider.
  await pm.getByRole('button', { name: 'Compare' }).click();
  await expect(pm.getByRole('group', { name: 'Pane A' }).getByRole('img')).toBeVisible();
  await pm.getByRole('radio', { name: 'Slider' }).click();
  await expect(pm.getByRole('slider', { name: 'Slider position' })).toBeVisible();
  await shot(pm, 'review-compare', [390, 768, 1440]);
  await pm.setViewportSize(PHONE.viewport);
  await pm.getByRole('button', { name: 'Close compare' }).click();
  await pm.keyboard.press('ArrowRight');
  await expect(pm.getByRole('region', { name: 'Image 2 of 4' })).toBeVisible();
  await shot(pm, 'review-standard', [390, 768, 1440]);
  if (SHOTS) {
    await pm.getByRole('button', { name: 'Switch to dark theme' }).click();
    await shot(pm, 'review-dark', [390]);
    await pm.getByRole('button', { name: 'Switch to light theme' }).click();
  }
  await pm.setViewportSize(PHONE.viewport);

  // Designer: the summary shows both verdicts and the comment.
  await page.reload();
  const summary = page.getByRole('region', { name: 'Review summary' });
  await expect(summary.getByText('Approved', { exact: true }).locator('..')).toContainText('1');
  await expect(summary.getByText('Rejected', { exact: true }).locator('..')).toContainText('1');
  await expect(summary).toContainText('The shadow is too harsh');
  await shot(page, 'designer-gallery', [1440, 768, 390]);
  await page.setViewportSize({ width: 1440, height: 900 });

  // Another gallery's item, or a studio asset id, through this token: 404.
  const otherTitle = `Other ${Date.now()}`;
  await page.goto(sessionUrl);
  await galleryFromGrid(page, otherTitle, 4, 1);
  const otherPath = await shareLink(page);
  const other = await phone(browser);
  await other.goto(otherPath);
  const otherSrc = await other.getByRole('img', { name: /^Image 1/ }).getAttribute('src');
  const otherItem = /\/items\/([^/]+)\//.exec(otherSrc ?? '')?.[1];
  expect(otherItem).toBeTruthy();
  expect((await pm.request.get(`/api/review/${token}/items/${otherItem}/preview`)).status()).toBe(404);
  expect((await pm.request.get(`/api/review/${token}/items/${otherItem}/refs/0/preview`)).status()).toBe(404);
  const sha = /\/api\/assets\/([0-9a-f]{64})\//.exec(studioAsset ?? '')?.[1];
  expect(sha).toBeTruthy();
  expect((await pm.request.get(`/api/review/${token}/items/${sha}/preview`)).status()).toBe(404);
  expect((await pm.request.get(`/api/review/${'A'.repeat(43)}/items/${otherItem}/preview`)).status()).toBe(404);
  const variationId = /^\/v\/([^/?#]+)/.exec((await page.locator('a[href^="/v/"]').first().getAttribute('href')) ?? '')?.[1];
  expect(variationId).toBeTruthy();
  expect((await pm.request.get(`/api/review/${token}/items/${variationId}/preview`)).status()).toBe(404);
  await other.context().close();

  // Revoke: the reviewer's reload shows the revoked page; a write through it is refused.
  await page.goto(galleryUrl);
  await page.getByRole('button', { name: 'Share' }).click();
  const shareDialog = page.getByRole('dialog', { name: 'Share for review' });
  await shareDialog.getByRole('button', { name: /^Revoke link/ }).click();
  await expect(shareDialog.getByRole('list', { name: 'Review links' })).toContainText('revoked');
  await shot(page, 'designer-share-panel', [390]);
  await page.setViewportSize({ width: 1440, height: 900 });
  await shareDialog.getByRole('button', { name: 'Close' }).click();
  await pm.reload();
  await expect(pm.getByRole('heading', { name: 'This review link was revoked' })).toBeVisible();
  await expect(pm.getByRole('img')).toHaveCount(0);
  const late = await pm.request.post(`/api/review/${token}/comments`, {
    data: { body: 'late' },
    headers: { 'X-Proofsheet': '1', Origin: new URL(page.url()).origin },
  });
  expect(late.status()).toBe(403);

  // Expired: a fresh link whose expiry has passed shows the expired page and takes no writes.
  const expiring = (await shareLink(page)).split('/').pop()!;
  expireLink(expiring);
  await pm.goto(`/r/${expiring}`);
  await expect(pm.getByRole('heading', { name: 'This review link has expired' })).toBeVisible();
  await expect(pm.getByRole('img')).toHaveCount(0);
  const expired = await pm.request.post(`/api/review/${expiring}/comments`, {
    data: { body: 'late' },
    headers: { 'X-Proofsheet': '1', Origin: new URL(page.url()).origin },
  });
  expect(expired.status()).toBe(403);

  // Blind: the designer turns it on and shares again.
  await page.getByRole('button', { name: 'Blind comparison' }).click();
  const blindDialog = page.getByRole('dialog', { name: 'Blind comparison' });
  await blindDialog.getByRole('button', { name: 'Make it a blind comparison' }).click();
  await expect(blindDialog.getByRole('button', { name: 'Reveal' })).toBeVisible();
  await expect(blindDialog.getByRole('list', { name: 'Warnings' })).toHaveCount(0);
  await shot(page, 'designer-blind-panel', [1440]);
  await blindDialog.getByRole('button', { name: 'Close' }).click();
  const blindPath = await shareLink(page);

  const voter = await phone(browser);
  const bodies: { url: string; body: string; etag?: string }[] = [];
  voter.on('response', async (response) => {
    const body = await response.body().catch(() => Buffer.alloc(0));
    bodies.push({ url: response.url(), body: body.toString('latin1'), etag: response.headers().etag });
  });
  await voter.goto(blindPath);
  await voter.getByLabel('Your name').fill('Blind Bo');
  await voter.getByRole('button', { name: 'Start reviewing' }).click();
  const blind = voter.getByRole('region', { name: 'Blind comparison' });
  await expect(blind.getByRole('img', { name: 'Left of the pair' })).toBeVisible();
  await expect(blind.getByRole('img', { name: 'Right of the pair' })).toBeVisible();
  await shot(voter, 'review-blind', [390, 768, 1440]);
  await voter.setViewportSize(PHONE.viewport);
  for (const choice of ['Left is better', 'Right is better', 'Same']) {
    const before = await blind.getByText(/ done, /).textContent();
    await blind.getByRole('button', { name: choice }).click();
    await expect(blind.getByText(/ done, /)).not.toHaveText(before ?? '');
  }
  await voter.getByRole('button', { name: 'Details' }).click();
  await expect(voter.getByRole('region', { name: 'Details' })).toContainText('Remove the background');
  await expect
    .poll(() => voter.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)))
    .toBe(true);

  // Nothing the reviewer received names a provider or model: page HTML, RSC payloads, JSON, JS, images.
  const html = await voter.content();
  expect(html).not.toMatch(PROVIDER_NAMES);
  expect(
    await voter.locator('img').evaluateAll((imgs) => imgs.map((i) => `${i.getAttribute('src')} ${i.getAttribute('alt')}`).join(' ')),
  ).not.toMatch(PROVIDER_NAMES);
  await expect.poll(() => bodies.length).toBeGreaterThan(5);
  const leaks = bodies.filter((b) => PROVIDER_NAMES.test(b.body) || PROVIDER_NAMES.test(b.url)).map((b) => b.url);
  expect(leaks).toEqual([]);
  expect(bodies.some((b) => b.url.includes('/preview'))).toBe(true);
  // No ETag on the images: a content hash would match the studio's own (an identifier across views).
  expect(bodies.filter((b) => b.url.includes('/api/review/') && b.etag).map((b) => b.url)).toEqual([]);

  // Designer: win rates per target with votes and an interval; then reveal.
  await page.getByRole('button', { name: /^Blind comparison/ }).click();
  await expect(blindDialog.getByRole('table')).toBeVisible();
  await expect(blindDialog.getByRole('table')).toContainText('3 votes');
  for (const name of [ENGINE, WAVESPEED]) {
    const row = blindDialog.getByRole('row', { name: new RegExp(name.replace(/[().]/g, '\\$&')) });
    await expect(row).toContainText('3');
    await expect(row).toContainText(/\d+%–\d+%/);
  }
  await shot(page, 'designer-win-rates', [1440]);
  await blindDialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(blindDialog).toContainText('Revealed');
  await voter.reload();
  await expect(voter.getByText('The designer has revealed')).toBeVisible();
  await expect(voter.getByRole('main')).toContainText(/Wan 2\.7|Offline engine/);
  await voter.context().close();
  await pm.context().close();
});
