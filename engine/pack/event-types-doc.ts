// The "Event types" section of docs/rules.md: the typing guarantee rule authors get, with the known enum values.
import { ACTOR_TYPES, AUDIT_ACTIONS, AUDIT_ORIGINS, TARGET_PROPERTIES, TARGET_TYPES } from '../schemas/audit.ts';
import { WEBHOOK_EVENT_TYPES } from '../schemas/webhook.ts';

const KNOWN: [string, string, readonly string[]][] = [
  ['Tailscale.Audit', 'action', AUDIT_ACTIONS],
  ['Tailscale.Audit', 'origin', AUDIT_ORIGINS],
  ['Tailscale.Audit', 'actor.type', ACTOR_TYPES],
  ['Tailscale.Audit', 'target.type', TARGET_TYPES],
  ['Tailscale.Audit', 'target.property', TARGET_PROPERTIES],
  ['Tailscale.Webhook', 'type', WEBHOOK_EVENT_TYPES],
];

export function eventTypesSection(): string {
  return `## Event types

A rule's functions get \`EventOf<L>\` for its \`logTypes\` (\`AuditEvent\`, \`NetworkEvent\`, \`WebhookEvent\`; an aggregate
rule's crossing holds one as \`c.event\`). These types hold **exactly the documented fields at every level** (the event,
\`actor\`, \`target\`, traffic entries, \`srcNode\`, \`dstNodes[i]\`, a webhook event's \`data\`), so \`npm run typecheck\`
rejects a misspelt field (\`e.event.acton\`, \`e.event.actor.loginNmae\`, \`entry.txByte\`) and a literal outside an
enumeration's known values.
Types cost nothing at run time: parsing still accepts every field and value Tailscale sends.

- **Undocumented fields** are kept: parsing preserves them, JSON output and alert contexts that include a whole
  object (\`actor: e.event.actor\`) carry them. Read one through the escape hatch \`extraField(object, 'name')\`, typed
  \`unknown\` (check it before use): \`extraField(e.event.actor, 'nodeName')\`, \`extraField(e.event.srcNode, 'hostinfo')\`
  (an absent object or field gives \`undefined\`). A documented field is refused there: read it directly, typed.
- **Open enumerations** complete their known values in the editor, and \`e.event.action === 'DELETED'\` does not
  compile (the value is \`DELETE\`); nor does a \`case\` label outside the list. A value Tailscale added since still
  parses; match it on purpose with \`isUnlisted(e.event.action, 'PURGE')\`, which refuses a known value (write \`===\`).
  Comparing with a \`string\` (a rule option, another field) compiles as before. Once a new value is seen in real
  logs, add it to its list in \`engine/schemas/audit.ts\` (webhook types: \`engine/schemas/webhook.ts\`): the
  \`isUnlisted\` calls for it then stop compiling and point at the \`===\` to write.

| log type | field | known values |
|---|---|---|
${KNOWN.map(([logType, field, values]) => `| ${logType} | \`${field}\` | ${values.map((v) => `\`${v}\``).join(', ')} |`).join('\n')}
`;
}
