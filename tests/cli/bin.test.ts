// The installed command (package.json `bin`): the compile-cache shim in front of engine/cli/main.ts.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/tailwatch.js');

/** A Node on the PATH too old to strip types (the machine's own is 20), if there is one. */
function oldNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const node = join(dir, 'node');
    if (!existsSync(node)) continue;
    const [major = 0, minor = 0] = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim().split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 18)) return node;
  }
  return undefined;
}
const OLD_NODE = oldNode();

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

  it.skipIf(OLD_NODE === undefined)('says which Node it needs when run by an older one, instead of failing on a .ts file', async () => {
    const run = promisify(execFile)(OLD_NODE ?? 'node', [BIN, 'test'], { env: { PATH: process.env.PATH ?? '' } });
    const error = (await run.catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/^tailwatch: Node\.js 2\d\.\d+\.\d+ is too old: tailwatch needs Node\.js 22\.18 or later \(24 recommended\)/);
    expect(error.stderr).toContain(OLD_NODE);
    expect(error.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });
});
