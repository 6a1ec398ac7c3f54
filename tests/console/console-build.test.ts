// The committed front end (engine/console/static, what `npm start` serves with no build step) is what the sources
// build to: after changing console/, run `npm run build:console` and commit the result.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { STATIC_DIR } from '../../engine/console/static-assets.ts';
import { ROOT } from '../e2e/support/workspace.ts';

function contents(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(files.map((entry) => [relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name), 'utf8')]));
}

describe('the console build', () => {
  it('is up to date with console/ (npm run build:console)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tailwatch-console-build-'));
    try {
      await build({ configFile: join(ROOT, 'console/vite.config.ts'), logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
      expect(contents(STATIC_DIR)).toEqual(contents(out));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
