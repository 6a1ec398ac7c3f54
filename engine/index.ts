// Public API for rule authors and config files: rules/ and alerts.config.ts import only this module.
export { defineRule } from './rules/define-rule.ts';
export { z } from 'zod';
export type { Rule, RuleSpec, RuleTest, RuleMetadata, OptionsOf } from './rules/types.ts';
export { SEVERITIES } from './rules/severity.ts';
export type { Severity, SeverityResult } from './rules/severity.ts';
export { LOG_TYPES } from './schemas/log-types.ts';
export type { LogType, EventOf, TailscaleEvent } from './schemas/log-types.ts';
export type { Alert, AlertType } from './alerts/alert.ts';
export { defineAggregateRule } from './aggregate/define-aggregate-rule.ts';
export type { AggregateRule, AggregateRuleSpec, AggregateRuleTest, AggregateWindow, Crossing, Emit, Measure, TopContributor } from './aggregate/types.ts';
export { defineConfig } from './config/define-config.ts';
export type { Config, ConfigInput } from './config/schema.ts';
export { actorLabel, isPerson, valueField } from './pack/audit-fields.ts';
export { formatBytes, nodeWithAddress, sourceNodeLabel } from './pack/flow-fields.ts';
export { parseEndpoint } from './schemas/address.ts';
export type { Endpoint } from './schemas/address.ts';
export type { AuditEvent, AuditRecord } from './schemas/audit.ts';
export type { NetworkEvent, NetworkRecord, TrafficEntry, NodeInfo } from './schemas/network.ts';
