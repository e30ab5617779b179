/**
 * Drives the studio like a designer (drop two images, instruct, generate) and saves
 * screenshots, light and dark. Usage: node --import tsx scripts/screenshot.mts <baseUrl> <outDir>
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import sharp from 'sharp';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = process.argv[3] ?? '/tmp/proofsheet-shots';
mkdirSync(out, { recursive: true });

async function product(colour: string, backdrop: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900">
    <rect width="100%" height="100%" fill="${backdrop}"/>
    <rect x="330" y="220" width="240" height="460" rx="36" fill="${colour}"/>
    <rect x="390" y="150" width="120" height="90" rx="14" fill="#343a40"/>
    <rect x="360" y="380" width="180" height="120" rx="8" fill="#f8f9fa" opacity="0.9"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(base);
await page.waitForURL(/\/s\//);
const first = page.url();
await page.getByRole('button', { name: 'New session' }).click();
await page.waitForURL((u) => u.href !== first);
await page.getByText('No runs yet').waitFor();
await page.screenshot({ path: path.join(out, 'empty.png') });
await page.getByLabel('Reference images').setInputFiles([
  { name: 'bottle.png', mimeType: 'image/png', buffer: await product('#2b8a3e', '#e9ecef') },
  { name: 'scene.png', mimeType: 'image/png', buffer: await product('#c92a2a', '#dee2e6') },
]);
await page.getByLabel('Instruction').fill('Remove the background of image 1 and place it on a white studio backdrop with a soft shadow');
await page.getByLabel('Variations per target').selectOption('3');
await page.getByRole('button', { name: 'Generate' }).click();
await page.getByRole('img', { name: /^Variation 3/ }).waitFor();
await page.getByLabel('Instruction').fill('make it warmer and more saturated');
await page.getByRole('button', { name: 'Generate' }).click();
await page
  .getByRole('article', { name: 'Run 2' })
  .getByRole('img', { name: /^Variation 3/ })
  .waitFor();
await page.waitForTimeout(500);
await page.screenshot({ path: path.join(out, 'studio-light.png') });
await page.getByRole('button', { name: /Switch to dark theme/ }).click();
await page.screenshot({ path: path.join(out, 'studio-dark.png') });
await page
  .getByRole('article', { name: 'Run 2' })
  .getByRole('button', { name: /^Compare Variation 1/ })
  .click();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'compare.png') });
await page.getByRole('radio', { name: 'Slider' }).click();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'compare-slider.png') });
await page.keyboard.press('Escape');
await page.goto(`${base}/settings`);
await page.screenshot({ path: path.join(out, 'settings.png'), fullPage: false });
await page.setViewportSize({ width: 1280, height: 800 });
await page.goBack();
await page.screenshot({ path: path.join(out, 'studio-1280.png') });
await browser.close();
console.log(`screenshots in ${out}`);
