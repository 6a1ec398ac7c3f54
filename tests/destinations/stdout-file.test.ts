import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createFileDestination } from '../../engine/destinations/file.ts';
import { createStdoutDestination } from '../../engine/destinations/stdout.ts';
import { makeAlert } from '../support/make-alert.ts';

describe('stdout destination', () => {
  it('writes one JSON payload line per alert, or a readable line', async () => {
    const output = new PassThrough();
    const json = createStdoutDestination({ kind: 'stdout', format: 'json' }, { name: 'console', env: {}, stdout: output });
    const readable = createStdoutDestination({ kind: 'stdout', format: 'text' }, { name: 'console', env: {}, stdout: output });
    expect(await json.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 })).toEqual({ ok: true });
    await readable.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 });
    output.end();
    const [first, second] = (await text(output)).trim().split('\n');
    expect(JSON.parse(first as string)).toMatchObject({ version: 1, alertId: makeAlert().alertId, createdAt: '1970-01-01T00:00:00.000Z' });
    expect(second).toBe(`2026-06-03T15:40:01.002Z HIGH     Tailscale.Magic.DNS.Disabled: ${makeAlert().title} (3 events, alert ${makeAlert().alertId})`);
    expect(await json.check()).toEqual({ ok: false, error: 'standard output is closed' });
  });
});

describe('file destination', () => {
  it('appends NDJSON, creating the directory', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tailwatch-file-')), 'nested', 'alerts.ndjson');
    const destination = createFileDestination({ kind: 'file', path }, { name: 'archive', env: {} });
    expect(await destination.check()).toEqual({ ok: true });
    await destination.send({ alert: makeAlert({ alertId: 'one' }), enqueuedAt: 0, attempt: 1 });
    await destination.send({ alert: makeAlert({ alertId: 'two' }), enqueuedAt: 0, attempt: 1 });
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).alertId)).toEqual(['one', 'two']);
  });

  it('reports a path it cannot write to as a failed check and a retryable send', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'tailwatch-file-')), 'not-a-directory');
    writeFileSync(blocker, '');
    const destination = createFileDestination({ kind: 'file', path: join(blocker, 'alerts.ndjson') }, { name: 'archive', env: {} });
    expect(await destination.check()).toMatchObject({ ok: false, error: expect.stringContaining('cannot write to') });
    expect(await destination.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 })).toMatchObject({ ok: false, retryable: true });
  });
});
