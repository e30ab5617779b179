import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { largeImage, productImage, save } from './support/images';
import { newSession, uploadProblems } from './support/studio';

test.describe('bad uploads are refused with a message naming the file and the rule', () => {
  test.beforeEach(async ({ page }) => newSession(page));

  test('not an image (by content, whatever the name says)', async ({ page }) => {
    const fake = save('notes.png', Buffer.from('this is a text file pretending to be a PNG'));
    await page.getByLabel('Reference images').setInputFiles(fake);
    await expect(uploadProblems(page)).toContainText('“notes.png” is not a JPEG, PNG or WebP image.');
    await expect(page.getByRole('list', { name: 'References', exact: true })).toHaveCount(0);
  });

  test('larger than 10 MB', async ({ page }) => {
    const big = save('huge.png', Buffer.alloc(11 * 1024 * 1024, 1));
    await page.getByLabel('Reference images').setInputFiles(big);
    await expect(uploadProblems(page)).toContainText('“huge.png” is 11.0 MB; the limit is 10 MB per image.');
  });

  test('larger than 10 MB is also refused by the server itself', async ({ request }) => {
    const res = await request.post('/api/uploads', {
      headers: { 'X-Proofsheet': '1' },
      multipart: { file: { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024, 1) } },
    });
    expect(res.status()).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  test('too many pixels (decompression bomb)', async ({ page }) => {
    const bomb = await largeImage('bomb.png', 8000, 6000);
    await page.getByLabel('Reference images').setInputFiles(bomb);
    await expect(uploadProblems(page)).toContainText('“bomb.png” is 8000×6000 (48 MP); the limit is 40 MP.');
  });

  test('a fifth image', async ({ page }) => {
    const files = await Promise.all([1, 2, 3, 4, 5].map((i) => productImage(`five-${i}.png`, `#${i}${i}4488`)));
    await page.getByLabel('Reference images').setInputFiles(files);
    await expect(uploadProblems(page)).toContainText('“five-5.png” was not added: at most 4 reference images per run.');
    await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(4);
  });

  test('larger than 2048 px is downscaled, and the user is told', async ({ page }) => {
    const wide = await largeImage('wide.png', 3000, 1500);
    await page.getByLabel('Reference images').setInputFiles(wide);
    await expect(page.getByText('Downscaled from 3000×1500 to fit 2048 px.')).toBeVisible();
  });

  test('EXIF orientation is applied and GPS is stripped', async ({ page, request }) => {
    const rotated = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#ff0000' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const file = save('phone.jpg', rotated);
    await page.getByLabel('Reference images').setInputFiles(file);
    const thumb = page.getByRole('img', { name: /^Image 1: phone\.jpg/ });
    await expect(thumb).toHaveAttribute('src', /\/api\/assets\/[a-f0-9]{64}\/thumb/);
    const src = (await thumb.getAttribute('src'))!.replace('/thumb', '/original');
    const stored = Buffer.from(await (await request.get(src)).body());
    const meta = await sharp(stored).metadata();
    expect([meta.width, meta.height]).toEqual([100, 300]);
    expect(meta.exif).toBeUndefined();
  });
});

test('an image pasted anywhere in the studio joins the references', async ({ page }) => {
  await newSession(page);
  const b64 = readFileSync(await productImage('pasted.png', '#0b7285')).toString('base64');
  await page.getByLabel('Instruction').click();
  await page.evaluate((data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'pasted.png', { type: 'image/png' }));
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, b64);
  await expect(
    page.getByRole('list', { name: 'References', exact: true }).getByRole('img', { name: /^Image 1: pasted\.png/ }),
  ).toBeVisible();
  // Pasted into the instruction field, the image did not end up as text there.
  await expect(page.getByLabel('Instruction')).toHaveValue('');
});
