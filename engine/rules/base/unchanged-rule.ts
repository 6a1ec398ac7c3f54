// Hot reload keeps a stateful rule's state (windows, seen values) only when the rule is the very one it was built from.

/** The same module object (a changed file is imported afresh) with the same options. */
export function isUnchangedRule(previous: { rule: object; options: Record<string, unknown> }, next: { rule: object; options: Record<string, unknown> }): boolean {
  return previous.rule === next.rule && JSON.stringify(previous.options) === JSON.stringify(next.options);
}
