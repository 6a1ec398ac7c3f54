// Public API for rule authors and config files (published as `tailwatch`): rules/ and alerts.config.ts import only
// this module. Its exported names and types are pinned by tests/package/public-surface.test.ts (semver: CHANGELOG.md).
export { defineRule } from './rules/event/define-rule.ts';
export { z } from 'zod';
export type { Rule, RuleSpec } from './rules/event/types.ts';
export type { RuleTest } from './rules/event/event-rule-shape.ts';
export type { RuleMetadata, OptionsOf } from './rules/base/rule-metadata.ts';
export { SEVERITIES } from './rules/base/severity.ts';
export type { Severity, SeverityResult } from './rules/base/severity.ts';
export { LOG_TYPES } from './schemas/log-types.ts';
export type { LogType, EventOf, TailscaleEvent } from './schemas/log-types.ts';
export type { Alert, AlertType } from './alerts/alert.ts';
export { defineAggregateRule } from './rules/aggregate/define-aggregate-rule.ts';
export { extendRule } from './rules/extend-rule.ts';
export type { AggregateRuleExtension, ExtensionOf, FirstSeenRuleExtension, RuleExtension } from './rules/extend-rule.ts';
export type { AggregateRule, AggregateRuleSpec } from './rules/aggregate/types.ts';
export type { AggregateRuleTest } from './rules/aggregate/aggregate-rule-shape.ts';
export type { AggregateWindow, Crossing, Emit, Measure, TopContributor } from './aggregate/types.ts';
export { defineFirstSeenRule } from './rules/first-seen/define-first-seen-rule.ts';
export type { FirstSeen, FirstSeenRule, FirstSeenRuleSpec, FirstSeenValue, FirstSeenWindow } from './rules/first-seen/types.ts';
export { defineConfig } from './config/define-config.ts';
export type { Config, ConfigInput } from './config/schema.ts';
export type { PackSelection, RuleOverride, RulesConfig } from './config/rules-config.ts';
export { actorLabel, isPerson, keyCapabilities, valueField } from './pack/audit-fields.ts';
export { emitBytesByDestination, formatBytes, inventoryNodeLabel, nodeWithAddress, sourceNodeLabel, sourcePortLabel } from './pack/flow-fields.ts';
export type { Inventory, WithInventory } from './inventory/inventory.ts';
export type { InventoryKey, InventoryNode, InventoryPolicy, InventoryUser } from './inventory/records.ts';
export { parseEndpoint } from './schemas/address.ts';
export { dstEndpoints, srcEndpoints } from './schemas/traffic-endpoints.ts';
export type { Endpoint } from './schemas/address.ts';
export type { AuditActor, AuditEvent, AuditRecord, AuditTarget } from './schemas/audit.ts';
export { extraField } from './schemas/documented.ts';
export { isUnlisted } from './schemas/open-enum.ts';
export type { NetworkEvent, NetworkRecord, TrafficEntry, NodeInfo } from './schemas/network.ts';
export type { WebhookData, WebhookEvent, WebhookRecord } from './schemas/webhook.ts';
export { correlationStep, defineCorrelationRule } from './rules/correlation/define-correlation-rule.ts';
export { JOIN_KEYS } from './rules/correlation/types.ts';
export type {
  AnyCorrelationStep, Chain, ChainLink, Correlation, CorrelationRule, CorrelationRuleSpec, CorrelationStep, JoinKey, KeyFn, StepInput,
} from './rules/correlation/types.ts';
export { defineSilenceRule } from './rules/silence/define-silence-rule.ts';
export type { Silence, SilenceRule, SilenceRuleSpec, SilenceWindow } from './rules/silence/types.ts';
export type { SequenceRuleTest } from './rules/base/rule-metadata.ts';
export type { Signal } from './alerts/signal.ts';
