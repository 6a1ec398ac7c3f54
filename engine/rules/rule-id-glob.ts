// One pattern language for rule ids everywhere (`test --filter`, `replay --rule`, a route's `ruleIds`):
// `*` matches any run of characters, `?` one character; the whole id must match, case-insensitively.

export function compileGlob(pattern: string): (text: string) => boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'i');
  return (text) => regex.test(text);
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** The patterns that match none of the ids (for a warning or an error that names them). */
export function unmatchedPatterns(patterns: readonly string[], ids: readonly string[]): string[] {
  return patterns.filter((pattern) => {
    const matches = compileGlob(pattern);
    return !ids.some(matches);
  });
}
