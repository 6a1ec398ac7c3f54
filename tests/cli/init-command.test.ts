// `tailwatch init [dir]`: the scaffold of a detections repository, never overwriting a file.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInitCommand } from '../../engine/cli/init-command.ts';
import { INIT_FILES } from '../../engine/cli/init-files.ts';
import { InputError } from '../../engine/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-init-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const output = () => {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text) };
};
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, string>>;

describe('tailwatch init', () => {
  it('creates the package.json, tsconfig, an example rule and its tests, alerts.config.ts, a CI workflow and a README', async () => {
    const target = join(dir, 'My Detections');
    const out = output();
    await runInitCommand(target, out);
    for (const file of ['package.json', 'tsconfig.json', 'rules/custom-node-routes-changed.ts', 'tests/custom-node-routes-changed.test.ts',
      'alerts.config.ts', '.github/workflows/detections.yml', 'README.md']) {
      expect(existsSync(join(target, file)), file).toBe(true);
    }
    const pkg = await readJson(join(target, 'package.json'));
    const own = await readJson('package.json');
    expect(pkg).toMatchObject({ name: 'my-detections', private: true, type: 'module' });
    expect(pkg.devDependencies).toEqual({ tailwatch: `^${own.version}`, typescript: own.devDependencies?.typescript, vitest: own.devDependencies?.vitest });
    expect(Object.keys(pkg.scripts ?? {})).toEqual(expect.arrayContaining(['test', 'typecheck', 'replay', 'start']));
    expect(await readFile(join(target, '.github/workflows/detections.yml'), 'utf8')).toMatch(/npm run typecheck[\s\S]*npm test/);
    const config = await readFile(join(target, 'alerts.config.ts'), 'utf8');
    expect(config).toContain("import { defineConfig } from 'tailwatch';");
    expect(config).toContain("pack: { include: ['*'], exclude: [] },");
    expect(config).toContain(`defaultRoute: ['console', 'archive'],`);
    expect(out.lines.join('')).toContain('created rules/custom-node-routes-changed.ts');
  });

  it('refuses, writing nothing, when a file it would create exists', async () => {
    await mkdir(join(dir, 'rules'));
    await writeFile(join(dir, 'rules/custom-node-routes-changed.ts'), '// mine\n');
    await writeFile(join(dir, 'README.md'), '# mine\n');
    const error = await runInitCommand(dir, output()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/already has rules\/custom-node-routes-changed\.ts, README\.md: tailwatch init never overwrites a file/);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
    expect(existsSync(join(dir, 'tsconfig.json'))).toBe(false);
  });

  it('adds to an existing package.json only what it lacks, and says which of its own values it kept', async () => {
    const existing = { name: 'secops', scripts: { test: 'echo mine', lint: 'eslint .' }, dependencies: { tailwatch: 'file:tailwatch.tgz' } };
    await writeFile(join(dir, 'package.json'), JSON.stringify(existing));
    const out = output();
    await runInitCommand(dir, out);
    const pkg = await readJson(join(dir, 'package.json'));
    expect(pkg).toMatchObject({ name: 'secops', type: 'module', dependencies: { tailwatch: 'file:tailwatch.tgz' } });
    expect(pkg.scripts).toMatchObject({ test: 'echo mine', lint: 'eslint .', typecheck: 'tsc --noEmit', start: 'tailwatch run' });
    expect(Object.keys(pkg.devDependencies ?? {})).toEqual(['typescript', 'vitest']);
    expect(out.lines.join('')).toContain("kept your scripts.test (tailwatch's would be: tailwatch test && vitest run)");
    expect(Object.keys(INIT_FILES).every((file) => existsSync(join(dir, file)))).toBe(true);
  });

  it('replaces the placeholder test script of `npm init`', async () => {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    await runInitCommand(dir, output());
    expect((await readJson(join(dir, 'package.json'))).scripts?.test).toBe('tailwatch test && vitest run');
  });
});
