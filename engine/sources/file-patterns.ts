// Config paths (files, directories, globs) → directories to watch and a test for the files they name.
// chokidar 5 has no globs: we watch each glob's fixed base directory and filter with path.matchesGlob.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, matchesGlob, resolve, sep } from 'node:path';

export interface FilePatterns {
  /** Directories to watch (deduplicated, absolute). */
  roots: string[];
  /** Whether an absolute file path is named by one of the patterns. */
  accepts(path: string): boolean;
}

/** Files taken from a plain directory: JSON logs, plain or compressed (skips `.partial`, `.tmp` and the like). */
const LOG_FILE = /\.(?:json|ndjson|jsonl|log|txt)(?:\.(?:gz|zst|zstd))?$|\.(?:gz|zst|zstd)$/i;
const COMPRESSED = /\.(?:gz|zst|zstd)$/i;
const GLOB_CHARS = /[*?[\]{}]/;

export function isCompressedPath(path: string): boolean {
  return COMPRESSED.test(path);
}

export function compilePatterns(paths: readonly string[], baseDir: string): FilePatterns {
  const roots = new Set<string>();
  const exact = new Set<string>();
  const directories: string[] = [];
  const globs: string[] = [];
  for (const raw of paths) {
    const path = isAbsolute(raw) ? raw : resolve(baseDir, raw);
    if (GLOB_CHARS.test(path)) {
      globs.push(path);
      roots.add(globBase(path));
    } else if (isDirectory(path)) {
      const dir = path.endsWith(sep) ? path : path + sep;
      directories.push(dir);
      roots.add(path);
    } else {
      exact.add(path);
      roots.add(dirname(path));
    }
  }
  return {
    roots: [...roots],
    accepts(path: string): boolean {
      if (exact.has(path)) return true;
      for (const dir of directories) if (path.startsWith(dir) && LOG_FILE.test(path)) return true;
      for (const glob of globs) if (matchesGlob(path, glob)) return true;
      return false;
    },
  };
}

/** The longest leading run of path segments without glob characters. */
function globBase(pattern: string): string {
  const segments = pattern.split(sep);
  const fixed: string[] = [];
  for (const segment of segments) {
    if (GLOB_CHARS.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join(sep) || sep;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
