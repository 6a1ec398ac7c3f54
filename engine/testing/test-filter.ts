// `--filter`: a case-insensitive substring, or a glob (`*`, `?`) that must match a whole rule id or test name.

export type TestFilter = (text: string) => boolean;

export function compileTestFilter(pattern: string): TestFilter {
  if (!/[*?]/.test(pattern)) {
    const needle = pattern.toLowerCase();
    return (text) => text.toLowerCase().includes(needle);
  }
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'i');
  return (text) => regex.test(text);
}
