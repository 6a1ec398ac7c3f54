// `--filter`: a case-insensitive substring, or a glob (`*`, `?`) that must match a whole rule id or test name.
import { compileGlob, isGlob } from '../rules/rule-id-glob.ts';

export type TestFilter = (text: string) => boolean;

export function compileTestFilter(pattern: string): TestFilter {
  if (isGlob(pattern)) return compileGlob(pattern);
  const needle = pattern.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}
