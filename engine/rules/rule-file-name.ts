// The file-name convention: one rule per file, named after the kebab-cased id without the leading `Tailscale.`.

/** `Tailscale.Magic.DNS.Disabled` → `magic-dns-disabled`; `Tailscale.NewNode.Added` → `new-node-added`. */
export function ruleFileName(ruleId: string): string {
  const segments = ruleId.split('.');
  if (segments[0] === 'Tailscale' && segments.length > 1) segments.shift();
  return segments
    .map((segment) =>
      segment
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
        .toLowerCase(),
    )
    .join('-');
}
