// `tailwatch/pack`: every shipped rule, by the camelCase of its file name, to extend in code (extendRule) from a
// detections repo. Not a rule file: the loader skips index files, and a conventions test keeps this list complete.
export { default as adminRoleGranted } from './admin-role-granted.ts';
export { default as authKeyRiskyCreated } from './auth-key-risky-created.ts';
export { default as exitFlowLoggingDisabled } from './exit-flow-logging-disabled.ts';
export { default as exitNodeHighEgress } from './exit-node-high-egress.ts';
export { default as failedRequestsBurst } from './failed-requests-burst.ts';
export { default as highPhysicalTrafficReceived } from './high-physical-traffic-received.ts';
export { default as highVirtualTrafficReceived } from './high-virtual-traffic-received.ts';
export { default as httpsDisabled } from './https-disabled.ts';
export { default as logStreamEndpointDeleted } from './log-stream-endpoint-deleted.ts';
export { default as machineApprovalRequirementsDisabled } from './machine-approval-requirements-disabled.ts';
export { default as magicDnsDisabled } from './magic-dns-disabled.ts';
export { default as networkFlowLoggingDisabled } from './network-flow-logging-disabled.ts';
export { default as nodeKeyExpiryDisabled } from './node-key-expiry-disabled.ts';
export { default as policyFileUpdated } from './policy-file-updated.ts';
export { default as policyNewActor } from './policy-new-actor.ts';
export { default as portScan } from './port-scan.ts';
export { default as postureIntegrationDeleted } from './posture-integration-deleted.ts';
export { default as prodEdgeFirstSeen } from './prod-edge-first-seen.ts';
export { default as sshFanout } from './ssh-fanout.ts';
export { default as tailnetLockDisabled } from './tailnet-lock-disabled.ts';
export { default as userApprovalDisabled } from './user-approval-disabled.ts';
export { default as webhookEndpointDeleted } from './webhook-endpoint-deleted.ts';
