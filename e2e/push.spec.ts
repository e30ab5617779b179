import { expect, test } from '@playwright/test';
import { fakeUrl, resetFake } from './fakes/registry';
import { productImage } from './support/images';
import { newSession, variations } from './support/studio';

const FAKES = ['wavespeed', 'fal'];

/** Every job of that fake ends this long after its submit, however often it is polled (e2e/fakes/kit.ts). */
async function setJobTime(name: string, jobMs: number): Promise<void> {
  const res = await fetch(`${fakeUrl(name)}/__faults`, { method: 'POST', body: JSON.stringify({ jobMs }) });
  if (!res.ok) throw new Error(`could not set ${name}'s job time: ${res.status}`);
}

test.afterEach(async () => {
  await Promise.all(FAKES.map(resetFake));
});

test("with the browser's polling turned off, each variation still appears when its fake finishes (pushed, not fetched)", async ({
  page,
}) => {
  await Promise.all(FAKES.map(resetFake));
  // WaveSpeed's jobs take 4 s, fal's 8 s: each target's images must show when its own jobs end.
  await setJobTime('wavespeed', 4000);
  await setJobTime('fal', 8000);
  // Test/debug switch read by lib/client/push.ts: no query of the studio polls.
  await page.addInitScript(() => localStorage.setItem('proofsheet:poll', 'off'));
  const requests: { path: string; at: number }[] = [];
  page.on('request', (r) => requests.push({ path: new URL(r.url()).pathname, at: Date.now() }));

  await newSession(page);
  const sessionId = new URL(page.url()).pathname.split('/')[2]!;
  const sessionData = new RegExp(`^/api/sessions/${sessionId}/(runs|variations|lineage)$`);
  // This page's stream is open.
  await expect.poll(() => requests.some((r) => r.path === `/api/sessions/${sessionId}/events`)).toBe(true);

  await page.getByLabel('Reference images').setInputFiles(await productImage('push.png', '#2b8a3e'));
  await expect(page.getByRole('img', { name: /^Image 1: push\.png/ })).toBeVisible();
  await page.getByLabel('Instruction').fill('Remove the background and replace it with white studio');
  const picker = page.getByRole('group', { name: 'Targets' });
  await picker.getByRole('checkbox', { name: /^Wan 2\.7 image edit \(WaveSpeed\)/ }).check();
  await picker.getByRole('checkbox', { name: /^FLUX\.1 Kontext \[pro\] \(fal\)/ }).check();
  await page.getByLabel('Variations per target').selectOption('2');
  await expect(page.getByText(/^6 images · 1 ref/)).toBeVisible();

  // When each variation's image first shows, by its output's address (the sha names the image).
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { seen: Record<string, number> }).seen = seen;
    const note = () => {
      for (const img of document.querySelectorAll<HTMLImageElement>('img[alt^="Variation"]')) seen[img.getAttribute('src')!] ??= Date.now();
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
  });

  // Generate refetches the feed once (the studio's own refresh after a submit); nothing after it may.
  const feedPath = `/api/sessions/${sessionId}/runs`;
  const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === feedPath && r.request().method() === 'GET');
  await page.getByRole('button', { name: 'Generate' }).click();
  await refreshed;
  const since = Date.now();
  const run = page.getByRole('article', { name: 'Run 1' });
  await expect(run).toBeVisible();
  // Their jobs take 4 s and 8 s: at this point every fake's variation is still in flight.
  const wan = run.getByRole('region', { name: 'Wan 2.7 image edit (WaveSpeed)' });
  const kontext = run.getByRole('region', { name: 'FLUX.1 Kontext [pro] (fal)' });
  await expect(wan.getByRole('status')).toHaveCount(2);
  await expect(kontext.getByRole('status')).toHaveCount(2);

  await expect(wan.getByRole('img', { name: /^Variation/ })).toHaveCount(2, { timeout: 30_000 });
  // fal's jobs are still running then.
  expect(await kontext.getByRole('status').count()).toBe(2);
  await expect(kontext.getByRole('img', { name: /^Variation/ })).toHaveCount(2, { timeout: 30_000 });
  const offline = run.getByRole('region', { name: 'Offline engine (non-generative)' });
  await expect(offline.getByRole('img', { name: /^Variation/ })).toHaveCount(2);
  await expect(variations(page)).toHaveCount(6);
  await expect(run.getByRole('status')).toHaveCount(0);

  // Pushed, not fetched: not one request for the session's runs, grid or lineage since the submit.
  expect(requests.filter((r) => r.at >= since && sessionData.test(r.path)).map((r) => r.path)).toEqual([]);

  // And each image appeared within moments of being stored (the server's finishedAt, same clock).
  const seen = await page.evaluate(() => (window as unknown as { seen: Record<string, number> }).seen);
  const feed = await (await page.request.get(feedPath)).json();
  const finished = (feed.runs[0].variations as { status: string; finishedAt: string; output: { sha256: string } | null }[]).filter(
    (v) => v.output,
  );
  expect(finished).toHaveLength(6);
  for (const v of finished.filter((f) => Date.parse(f.finishedAt) > since)) {
    const shown = seen[`/api/assets/${v.output!.sha256}/thumb`];
    expect(shown, `variation ${v.output!.sha256} shown`).toBeDefined();
    expect(shown! - Date.parse(v.finishedAt)).toBeLessThan(1500);
  }
  // The fakes' four finished after the submit's refetch, so they can only have been pushed.
  expect(finished.filter((f) => Date.parse(f.finishedAt) > since).length).toBeGreaterThanOrEqual(4);
});
