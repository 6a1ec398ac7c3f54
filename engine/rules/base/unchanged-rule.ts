// Hot reload keeps a stateful rule's windows when the rule is the same: the same module object and the same options.

export interface RuleWithOptions {
  rule: object;
  options: Record<string, unknown>;
}

export function isUnchanged(previous: RuleWithOptions | undefined, loaded: RuleWithOptions): previous is RuleWithOptions {
  return previous !== undefined && previous.rule === loaded.rule && JSON.stringify(previous.options) === JSON.stringify(loaded.options);
}
