import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CANARY, resetFake, setFakeMode } from './fakes/registry';
import { productImage } from './support/images';
import { newSession } from './support/studio';

const canaries = Object.values(CANARY);
// Distinctive fragments too: a leak of half a key is still a leak.
const fragments = canaries.flatMap((k) => [k, k.slice(-10)]);

function leaksIn(text: string): string[] {
  return fragments.filter((f) => text.includes(f));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test.afterEach(async () => {
  await Promise.all(['openai', 'replicate'].map(resetFake));
});

test('keys never reach the browser bundle, pages, RSC payloads, action/route responses, the log or the database', async ({
  page,
  request,
}) => {
  // 1. The client bundle.
  const staticDir = path.join(process.cwd(), '.next-e2e', 'static');
  for (const file of filesUnder(staticDir)) expect(leaksIn(readFileSync(file, 'latin1')), file).toEqual([]);

  // 2. Every response the browser sees while using the app, including server actions and RSC.
  const bodies: string[] = [];
  page.on('response', async (res) => {
    const type = res.headers()['content-type'] ?? '';
    if (/image\//.test(type)) return;
    bodies.push(await res.text().catch(() => ''));
  });
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles(await productImage('keys.png', '#364fc7'));
  await page.getByLabel('Instruction').fill('make it warmer');
  const picker = page.getByRole('group', { name: 'Targets' });
  await picker.getByRole('checkbox', { name: /^GPT Image 1 \(OpenAI\)/ }).check();
  await picker.getByRole('checkbox', { name: /^FLUX\.1 Kontext \[pro\] \(Replicate\)/ }).check();
  await page.getByLabel('Variations per target').selectOption('1');
  // Failing calls whose error bodies echo the key back (the fakes do, deliberately).
  await setFakeMode('openai', 'auth');
  await setFakeMode('replicate', 'auth');
  await page.getByRole('button', { name: 'Generate' }).click();
  const run = page.getByRole('article', { name: 'Run 1' });
  await expect(run.getByRole('alert')).toHaveCount(2, { timeout: 30_000 });
  await expect(run.getByRole('alert').first()).toContainText('Check the API key');
  await page.goto('/settings');
  await expect(page.getByRole('region', { name: 'OpenAI' })).toContainText('Configured');

  for (const url of ['/', '/settings', page.url()]) {
    bodies.push(await (await request.get(url)).text());
    bodies.push(await (await request.get(url, { headers: { RSC: '1' } })).text());
  }
  const sessionId = /\/s\/([^/?#]+)/.exec(bodies.join('\n'))?.[1];
  if (sessionId) bodies.push(await (await request.get(`/api/sessions/${sessionId}/runs`)).text());
  expect(bodies.length).toBeGreaterThan(5);
  for (const body of bodies) expect(leaksIn(body)).toEqual([]);

  // 3. The server log after those failing calls, and the database file.
  const dataDir = process.env.E2E_DATA_DIR!;
  expect(leaksIn(readFileSync(path.join(dataDir, 'server.log'), 'utf8'))).toEqual([]);
  for (const file of readdirSync(dataDir).filter((f) => f.startsWith('proofsheet.db'))) {
    expect(leaksIn(readFileSync(path.join(dataDir, file), 'latin1')), file).toEqual([]);
  }
});
