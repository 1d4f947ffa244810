/**
 * Real Chromium for the dashboard's end-to-end tests: Debian's /usr/bin/chromium driven by
 * playwright-core (no browser download). Skips with a reason when it is absent, unless CI requires it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { requireServices } from './services.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** null when Chromium is there, else the reason to skip (throws under FLOWYTE_TEST_REQUIRE_SERVICES=1). */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} not installed (apt-get install -y chromium)`;
  if (requireServices) throw new Error(`${reason} (FLOWYTE_TEST_REQUIRE_SERVICES=1)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  // launch() gives every browser a fresh temporary profile of its own (and refuses --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    close: () => browser.close().catch(() => {}),
  };
}

/** Screenshots go to test-artifacts/ (ignored by git). */
export function artifactsDir(name: string): string {
  const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-artifacts', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
