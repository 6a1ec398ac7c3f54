// HuJSON (https://github.com/tailscale/hujson), the tailnet policy file's format: JSON with `//` and `/* */`
// comments and trailing commas. Standardized to JSON text, then parsed by JSON.parse.

/** Index of the next character that is not whitespace or a comment. */
function skipInsignificant(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('//', i)) i = text.includes('\n', i) ? text.indexOf('\n', i) : text.length;
    else if (text.startsWith('/*', i)) i = text.includes('*/', i + 2) ? text.indexOf('*/', i + 2) + 2 : text.length;
    else return i;
  }
}

/** HuJSON → JSON text: comments and trailing commas dropped, strings kept as they are. */
function standardize(text: string): string {
  let out = '';
  let i = skipInsignificant(text, 0);
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      const next = skipInsignificant(text, i + 1);
      if (c !== ',' || (text[next] !== '}' && text[next] !== ']')) out += c;
      i = next;
    }
  }
  return out;
}

/** The value of a HuJSON text; throws a SyntaxError when it is not HuJSON. */
export function parseHuJson(text: string): unknown {
  return JSON.parse(standardize(text));
}
