// The console end to end in Debian's Chromium: a real `tailwatch run`, the planted stream over HEC, then log in, see
// an alert arrive live, open it (its events and the inventory of who and what it names), acknowledge and resolve it
// (timeline), filter the list, read the traffic page's top destination, and check that the API refuses callers
// without a login and a forged POST from another site.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedStream, STREAM_START_MS } from '../../fixtures/e2e/planted-stream.ts';
import { hecBody, postHec } from '../e2e/support/hec-client.ts';
import { startTailwatch, type TailwatchProcess } from '../e2e/support/tailwatch-process.ts';
import { createWorkspace, HEC_TOKEN, WEBHOOK_SECRET, type Workspace } from '../e2e/support/workspace.ts';
import { runCli } from '../support/run-cli.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { startAttackerSite, type AttackerSite } from './support/attacker-site.ts';
import { CHROMIUM, launchChromium, screenshot } from './support/browser.ts';

const ATTACKER_HOST = 'prizes.example';
const STEP_MS = 15_000;

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess;
let browser: Browser;
let page: Page;
let password: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url });
  await importInventory();
  tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
  // No console.password in the config: the generated one is kept in the dataDir (and printed at start).
  password = readFileSync(join(workspace.dataDir, 'console-password'), 'utf8').trim();
  expect(tailwatch.otherStderr.join('\n')).toContain(password);
  browser = await launchChromium([`MAP ${ATTACKER_HOST} 127.0.0.1`]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(STEP_MS);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

/** The inventory of the planted stream's alice and node 9, in force since the day before, as `tailwatch inventory import` stores it. */
async function importInventory(): Promise<void> {
  const file = join(workspace.dir, 'inventory.ndjson');
  const since = { tailnet: 'default', validFrom: STREAM_START_MS - 86_400_000, learnedAt: 0, origin: 'import' };
  const versions = [
    { ...since, kind: 'user', id: 'ualiceCNTRL', record: { id: 'ualiceCNTRL', loginName: 'alice@example.com', displayName: 'Alice', role: 'admin', status: 'active' } },
    {
      ...since,
      kind: 'node',
      id: 'nE2e9CNTRL',
      record: { id: 'nE2e9CNTRL', name: 'node-9.example.ts.net', user: 'frank@example.com', tags: ['tag:prod'], addresses: ['100.64.0.9'], keyExpiry: '2026-12-01T00:00:00Z', authorized: true, lastSeen: '2026-08-10T09:17:00Z' },
    },
  ];
  writeFileSync(file, versions.map((version) => `${JSON.stringify(version)}\n`).join(''));
  const imported = await runCli(['inventory', 'import', file, '--config', workspace.configPath], { env: workspace.env });
  expect(imported.stderr).toContain('imported 2 inventory versions');
}

async function postPlantedStream(): Promise<void> {
  for (const batch of plantedStream().batches) {
    const reply = await postHec(tailwatch.baseUrl, hecBody(batch), { token: HEC_TOKEN });
    expect(reply.status).toBe(200);
  }
}

const rows = () => page.locator('table.alerts tbody tr');

describe('the console in a browser', { timeout: 120_000 }, () => {
  it('refuses the JSON API without a login, and with a HEC token', async () => {
    for (const path of ['/api/alerts', '/api/rules', '/api/traffic', '/api/health', '/api/stream']) {
      expect((await fetch(`${tailwatch.baseUrl}${path}`)).status, path).toBe(401);
      expect((await fetch(`${tailwatch.baseUrl}${path}`, { headers: { authorization: `Bearer ${HEC_TOKEN}` } })).status, path).toBe(401);
    }
    const scripted = await fetch(`${tailwatch.baseUrl}/api/alerts`, { headers: { authorization: `Bearer ${password}` } });
    expect(scripted.status).toBe(200);
  });

  it('logs in with the console password and sets a strict, HttpOnly session cookie', async () => {
    await page.goto(tailwatch.baseUrl);
    await page.getByRole('heading', { name: 'Log in to tailwatch' }).waitFor();
    await screenshot(page, 'login');
    await page.getByLabel('Your name').fill('ann');
    await page.getByLabel('Console password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong name or password' }).waitFor();
    await page.getByLabel('Console password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'tailwatch_console', httpOnly: true, sameSite: 'Strict' });
  });

  it('shows alerts as they arrive, without reloading the page', async () => {
    await page.getByText('No alerts match.').waitFor();
    await postPlantedStream();
    await rows().filter({ hasText: 'alice@example.com' }).filter({ hasText: 'Magic DNS' }).first().waitFor();
    // One record that is no Tailscale log, for the health page's quarantine browser.
    const quiet = { nodeId: 'nQuietCNTRL', start: '2026-08-10T09:59:50Z', end: '2026-08-10T09:59:55Z', logged: '2026-08-10T09:59:56Z' };
    const body = `${JSON.stringify({ event: quiet })}${JSON.stringify({ event: { hello: 'world' } })}`;
    expect(await postHec(tailwatch.baseUrl, body, { token: HEC_TOKEN })).toMatchObject({ status: 200, body: { rejected: 1 } });
    await page.getByRole('link', { name: /HTTPS/ }).waitFor();
    await screenshot(page, 'alerts');
  });

  it('opens an alert, shows its events and the inventory of its user, acknowledges and resolves it, shows who did it in the timeline, and suppresses more like it', async () => {
    await rows().filter({ hasText: 'alice@example.com' }).filter({ hasText: 'Magic DNS' }).first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Context' }).waitFor();
    await expect.poll(() => page.locator('dl.context').first().textContent()).toContain('alice@example.com');
    // alice disabled Magic DNS twice within the alert's hour: both events, each with its time and source.
    const events = page.getByRole('region', { name: 'Events' }).locator('table.events > tbody > tr');
    expect(await events.count()).toBe(2);
    expect(await events.nth(0).locator('> td').allTextContents()).toEqual([
      '1', '2026-08-10 09:05:20 UTC', 'hec', 'Tailscale.Audit', expect.stringContaining('MAGIC_DNS') as unknown as string,
    ]);
    expect(await events.nth(1).locator('> td').nth(1).textContent()).toBe('2026-08-10 09:30:20 UTC');
    const inventory = page.getByRole('region', { name: 'Inventory' });
    expect(await inventory.locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(/^alice@example\.comAliceadminactiveualiceCNTRL2026-08-10 09:05:20 UTC$/)]);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator('#triage-status').textContent()).toBe('Acknowledged');
    await page.getByLabel('Add a note').fill('asked alice on chat');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.locator('#triage-status').textContent()).toBe('Resolved');
    const timeline = await page.locator('ol.timeline li').allTextContents();
    expect(timeline).toHaveLength(3);
    expect(timeline[0]).toMatch(/ann changed status from Open to Acknowledged/);
    expect(timeline[1]).toMatch(/ann noted: asked alice on chat/);
    expect(timeline[2]).toMatch(/ann changed status from Acknowledged to Resolved/);
    await page.getByLabel('For').selectOption('24');
    await page.getByLabel('Reason').fill('alice is migrating DNS this week');
    await page.getByRole('button', { name: 'Suppress', exact: true }).click();
    await expect.poll(() => page.locator('#suppress-result').textContent()).toMatch(/^adhoc-1: suppressed until /);
    expect(await page.locator('ol.timeline li').last().textContent()).toMatch(/ann noted: suppressed like this for 24 h \(adhoc-1\): alice is migrating DNS this week/);
    await screenshot(page, 'alert');
  });

  it('filters the list by status, by title text and by severity', async () => {
    await page.goto(`${tailwatch.baseUrl}/#/alerts`);
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    // Every form control has a label (screen readers name it; a click on the label focuses it).
    for (const control of await page.locator('input, select, textarea').all()) {
      const id = await control.getAttribute('id');
      expect(await page.locator(`label[for="${id ?? ''}"]`).count(), `label for ${id ?? '(no id)'}`).toBe(1);
    }
    // The page moves focus to its heading; the keyboard goes on from there into the filters.
    expect(await page.locator(':focus').textContent()).toBe('Alerts');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('id')).toBe('filter-severity');
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('alice@example.com');

    await page.getByRole('link', { name: 'Clear' }).click();
    await expect.poll(() => page.getByLabel('Status').inputValue()).toBe('');
    await page.getByLabel('Title contains').fill('https');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('disabled HTTPS');

    await page.goto(`${tailwatch.baseUrl}/#/alerts?severity=HIGH`);
    await expect.poll(() => page.getByLabel('Severity').inputValue()).toBe('HIGH');
    await expect.poll(async () => [...new Set(await page.locator('table.alerts tbody .severity').allTextContents())]).toEqual(['HIGH']);
  });

  it('shows the planted 30 GiB transfer as the top destination, and drills down to its alerts', async () => {
    await page.getByRole('link', { name: 'Traffic' }).click();
    const top = page.getByRole('region', { name: 'Top destinations', exact: true }).locator('tbody tr').first();
    await expect.poll(() => top.locator('td').first().textContent()).toBe('198.51.100.77');
    expect(await top.locator('td').nth(1).textContent()).toMatch(/^30\.\d GiB$/);
    await page.locator('figure.chart canvas').first().waitFor();
    await screenshot(page, 'traffic');
    await top.getByRole('link').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('Tailscale.High.Physical.Traffic.Received');
  });

  it("shows an aggregate alert's crossing event and the inventory of the node that logged it", async () => {
    await page.goto(`${tailwatch.baseUrl}/#/alerts?rule=Tailscale.SSH.Fanout`);
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().getByRole('link').click();
    // The flow record of node 9's SSH connections to 12 hosts crossed the threshold (the first event; node 9's later
    // records matched again while the group stayed over it); the context has the contributors.
    const events = page.getByRole('region', { name: 'Events' }).locator('table.events > tbody > tr');
    await events.first().waitFor();
    expect(await events.first().locator('> td').first().textContent()).toBe('1');
    expect(await events.first().textContent()).toContain('100.64.1.12:22');
    const node = page.getByRole('region', { name: 'Inventory' }).locator('tbody tr');
    expect(await node.locator('td').allTextContents()).toEqual([
      'node-9.example.ts.net', 'nE2e9CNTRL', 'frank@example.com', 'tag:prod', '2026-12-01 00:00:00 UTC', 'yes', '2026-08-10 09:17:00 UTC', expect.stringMatching(/^2026-08-10 09:18:\d\d UTC$/),
    ]);
    await screenshot(page, 'alert-aggregate');
  });

  it('lists the rules with their alerts per day, and the health of sources and destinations', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    const magicDns = page.locator('tr[data-rule-id="Tailscale.Magic.DNS.Disabled"]');
    await magicDns.waitFor();
    expect(await magicDns.textContent()).toContain('TA0005');
    await expect.poll(() => magicDns.locator('.sparkline').first().getAttribute('aria-label')).toMatch(/, 2$/);
    await screenshot(page, 'rules');
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByRole('heading', { name: 'Destinations', exact: true }).waitFor();
    expect(await page.getByRole('region', { name: 'Destinations', exact: true }).textContent()).toContain('soar');
    const quarantined = page.getByRole('region', { name: 'Quarantine (newest 100)' }).locator('tbody tr');
    await expect.poll(() => quarantined.count()).toBe(1);
    expect(await quarantined.first().textContent()).toContain('hello');
    await screenshot(page, 'health');
  });

  it('refuses a forged POST from another site, and a same-site POST without the CSRF token', async () => {
    const open = (await (await fetch(`${tailwatch.baseUrl}/api/alerts?status=open&q=https`, { headers: { authorization: `Bearer ${password}` } })).json()) as {
      alerts: { alertId: string }[];
    };
    const alertId = open.alerts[0]?.alertId ?? '';
    const target = `${tailwatch.baseUrl}/api/alert/triage`;
    const attacker: AttackerSite = await startAttackerSite(target, { id: alertId, status: 'resolved' });
    try {
      const answer = page.waitForResponse((response) => response.url() === target);
      await page.goto(`http://${ATTACKER_HOST}:${attacker.port}/`);
      expect([401, 403]).toContain((await answer).status());
    } finally {
      await attacker.close();
    }
    await page.goto(`${tailwatch.baseUrl}/#/alerts`);
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    const withoutToken = await page.evaluate(async (body) => {
      const response = await fetch('/api/alert/triage', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      return response.status;
    }, JSON.stringify({ id: alertId, status: 'resolved' }));
    expect(withoutToken).toBe(403);
    const detail = (await (await fetch(`${tailwatch.baseUrl}/api/alert?id=${alertId}`, { headers: { authorization: `Bearer ${password}` } })).json()) as {
      triage: { status: string; timeline: unknown[] };
    };
    expect(detail.triage).toMatchObject({ status: 'open', timeline: [] });
  });
});
