// Nesting check for values that JSON.parse accepted (V8 parses absurd depth iteratively, so it never refuses).

/** True when `value` nests objects/arrays deeper than `maxDepth` (a top-level object is depth 1). */
export function exceedsDepth(value: object, maxDepth: number): boolean {
  return deeper(value, maxDepth);
}

function deeper(value: object, budget: number): boolean {
  if (budget <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && deeper(item, budget - 1)) return true;
    }
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null && deeper(item, budget - 1)) return true;
  }
  return false;
}
