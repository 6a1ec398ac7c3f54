import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../../engine/destinations/signature.ts';

type Verify = (secret: string, rawBody: string, header: string | undefined) => boolean;

async function documentedVerifier(): Promise<Verify> {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/delivery.md'), 'utf8');
  const snippet = /<!-- verify-snippet -->\n```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (snippet === undefined) throw new Error('docs/delivery.md lost its verify snippet');
  const file = join(mkdtempSync(join(tmpdir(), 'tailwatch-doc-')), 'verify.mjs');
  writeFileSync(file, snippet);
  return ((await import(pathToFileURL(file).href)) as { verifyTailwatchSignature: Verify }).verifyTailwatchSignature;
}

describe('docs/delivery.md', () => {
  it('the documented verification snippet accepts what tailwatch signs and rejects tampering', async () => {
    const verify = await documentedVerifier();
    const body = JSON.stringify({ version: 1, alertId: 'x', title: 'ünïcode ✓' });
    const now = Date.now() / 1000;
    expect(verify('whsec', body, signatureHeader('whsec', body, now))).toBe(true);
    expect(verify('whsec', `${body} `, signatureHeader('whsec', body, now))).toBe(false);
    expect(verify('whsec', body, signatureHeader('whsec', body, now - 600))).toBe(false);
    expect(verify('whsec', body, undefined)).toBe(false);
  });
});
