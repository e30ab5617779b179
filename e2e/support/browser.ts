import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Playwright's own Chromium where it is installed, else the system's (Debian: /usr/bin/chromium).
 * Neither: stop with a message that says how to get one, rather than a cryptic launch error.
 */
export function browserExecutable(): string | undefined {
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return undefined; // Playwright finds its own browser.
  } catch {
    // Not installed: fall through to the system browser.
  }
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one with `npx playwright install chromium`, ' +
      'or on Debian/Ubuntu `sudo apt-get install -y chromium`, or set CHROMIUM_PATH to a Chrome/Chromium binary.',
  );
}
