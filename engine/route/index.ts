// The route stage's public surface.
export { routeAlert, type RouteDecision, type RoutingConfig } from './route-alert.ts';
export { readAlerts, AlertInput, type ReadAlertResult } from './alert-input.ts';
