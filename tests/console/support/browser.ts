// Debian's Chromium, driven headless by playwright-core (no browser download): the flags the machine needs, plus
// host-resolver rules so a second host name (a different site) can be served from 127.0.0.1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../../e2e/support/workspace.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** Where screenshots go (CI keeps the folder as the test run's artifacts). */
export const ARTIFACTS = process.env.TAILWATCH_ARTIFACTS ?? join(ROOT, 'artifacts/console');

export function launchChromium(hostRules: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
      ...(hostRules.length === 0 ? [] : [`--host-resolver-rules=${hostRules.join(', ')}`]),
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
