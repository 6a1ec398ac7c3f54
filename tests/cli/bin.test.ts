// The installed command (package.json `bin`): the compile-cache shim in front of engine/cli/main.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/tailwatch.js');

describe('bin/tailwatch.js', () => {
  it('runs the CLI with its compile cache in the directory NODE_COMPILE_CACHE names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tailwatch-bin-'));
    try {
      const empty = join(dir, 'empty.log');
      await writeFile(empty, '');
      const env = { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: join(dir, 'cache') };
      const { stderr } = await promisify(execFile)(process.execPath, [BIN, 'replay', empty, '--rule', 'Tailscale.Magic.DNS.Disabled'], { env });
      expect(stderr).toContain('records read: 0');
      expect((await readdir(join(dir, 'cache'))).length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
