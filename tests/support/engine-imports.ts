// Every relative import inside engine/, as [importing file, imported file] (absolute paths), for layering tests.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export const ENGINE = resolve(import.meta.dirname, '../../engine');

export async function engineFiles(): Promise<string[]> {
  const entries = await readdir(ENGINE, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Relative specifiers of static imports, `export … from` and dynamic `import('…')`, resolved. */
export async function engineImports(): Promise<[from: string, to: string][]> {
  const imports: [string, string][] = [];
  for (const file of await engineFiles()) {
    const source = await readFile(file, 'utf8');
    for (const m of source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) imports.push([file, resolve(dirname(file), m[1] ?? '')]);
  }
  return imports;
}
