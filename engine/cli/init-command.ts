// `tailwatch init [dir]`: scaffolds a detections repository. Never overwrites: when any file it would create exists,
// it writes nothing and names them. An existing package.json only gains the scripts, dependencies and "type" it
// lacks (npm init, then npm i -D tailwatch, then tailwatch init is a normal order); its own values are kept.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { INIT_FILES, initConfigFile, initPackageJson } from './init-files.ts';
import { packageInfo } from './package-info.ts';

type PackageJson = Record<string, unknown> & { scripts?: Record<string, string> };

/** The test script `npm init` writes: a placeholder, not a choice to keep. */
const NPM_INIT_TEST = 'echo "Error: no test specified" && exit 1';

export async function runInitCommand(dir: string, out: { write(text: string): unknown }): Promise<void> {
  const root = resolve(dir);
  const info = packageInfo();
  const files = { ...INIT_FILES, 'alerts.config.ts': initConfigFile(await readFile(join(info.root, 'alerts.config.ts'), 'utf8')) };
  const existing = Object.keys(files).filter((file) => existsSync(join(root, file)));
  if (existing.length > 0) {
    throw new InputError(`${root} already has ${existing.join(', ')}: tailwatch init never overwrites a file (move them away, or init another directory)`);
  }
  const wanted = initPackageJson(packageName(root), {
    tailwatch: info.version,
    typescript: info.devDependencies.typescript ?? 'latest',
    vitest: info.devDependencies.vitest ?? 'latest',
  });
  const packageFile = join(root, 'package.json');
  const current = existsSync(packageFile) ? await readPackageJson(packageFile) : undefined;
  const { merged, kept } = current === undefined ? { merged: wanted, kept: [] } : mergePackageJson(current, wanted);

  await mkdir(root, { recursive: true });
  await writeFile(packageFile, `${JSON.stringify(merged, null, 2)}\n`);
  out.write(`${current === undefined ? 'created' : 'updated'} package.json\n`);
  for (const line of kept) out.write(`  kept your ${line}\n`);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content, { flag: 'wx' });
    out.write(`created ${file}\n`);
  }
  const cd = root === process.cwd() ? '' : `cd ${dir} && `;
  out.write(`\nNext: ${cd}npm install && npm run typecheck && npm test\n`);
}

async function readPackageJson(file: string): Promise<PackageJson> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as PackageJson;
  } catch (error) {
    throw new InputError(`${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  throw new InputError(`${file}: not a JSON object`);
}

/** Adds what the existing package.json lacks; a script or "type" it already has is kept and reported. */
function mergePackageJson(current: PackageJson, wanted: ReturnType<typeof initPackageJson>): { merged: PackageJson; kept: string[] } {
  const kept: string[] = [];
  const scripts = { ...current.scripts };
  for (const [name, command] of Object.entries(wanted.scripts)) {
    if (scripts[name] === undefined || (name === 'test' && scripts[name] === NPM_INIT_TEST)) scripts[name] = command;
    else if (scripts[name] !== command) kept.push(`scripts.${name} (tailwatch's would be: ${command})`);
  }
  const declared = (name: string) =>
    ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => Object.hasOwn((current[field] ?? {}) as object, name));
  const devDependencies = { ...(current.devDependencies as Record<string, string> | undefined) };
  for (const [name, range] of Object.entries(wanted.devDependencies)) if (!declared(name)) devDependencies[name] = range;
  if (current.type !== undefined && current.type !== 'module') kept.push(`"type": ${JSON.stringify(current.type)} (rules and alerts.config.ts are ES modules)`);
  return { merged: { ...current, type: current.type ?? 'module', scripts, devDependencies }, kept };
}

/** npm's rules for a name: lowercase, URL-safe. */
function packageName(root: string): string {
  const name = basename(root).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return name === '' ? 'detections' : name;
}
