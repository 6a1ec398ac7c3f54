// One pattern language for rule ids everywhere (`test --filter`, `replay --rule`, a route's `ruleIds`):
// `*` matches any run of characters, `?` one character; the whole id must match, case-insensitively.

export function compileGlob(pattern: string): (text: string) => boolean {
  const regex = new RegExp(`^${regexSource(pattern, '.')}$`, 'i');
  return (text) => regex.test(text);
}

/** `*` → any run, `?` → `oneChar`, everything else literal. */
function regexSource(pattern: string, oneChar: string): string {
  return pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? oneChar : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
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

/**
 * Whether a rule file (its name without `.ts`) can hold a rule whose id matches one of the patterns, by the
 * file-name convention (rule-file-name.ts): case, dots and dashes aside, the name is the id without `Tailscale.`.
 * Never false for a file that holds a matching rule, so `replay --rule` imports only the files it may need.
 */
export function mayHoldMatchingRule(fileBase: string, patterns: readonly string[]): boolean {
  const name = fileBase.toLowerCase().replace(/[.-]/g, '');
  return patterns.some((pattern) => {
    // A `?` may have matched a dot or dash, gone from both sides here.
    const regex = new RegExp(`^${regexSource(pattern.toLowerCase().replace(/[.-]/g, ''), '.?')}$`);
    return regex.test(name) || regex.test(`tailscale${name}`);
  });
}
