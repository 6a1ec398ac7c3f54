// This package's own package.json (its directory, name, version, the tool ranges it is tested with), found from this module's
// location: engine/cli/ in the repository, dist/engine/cli/ in the published package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  /** The directory that holds it. */
  root: string;
  name: string;
  version: string;
  devDependencies: Record<string, string>;
}

export function packageInfo(): PackageInfo {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageInfo>;
    if (info.name === 'tailwatch') return { root: dir, name: info.name, version: info.version ?? '0.0.0', devDependencies: info.devDependencies ?? {} };
  }
  throw new Error('tailwatch: cannot find its own package.json');
}
