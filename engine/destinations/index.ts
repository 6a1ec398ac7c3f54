// The destinations stage's public surface: outbox, worker, destinations and payload builders.
export { enqueue, pendingCount, type OutboxRow, type DeadLetterReason } from './outbox.ts';
export { listPending, listDeadLetters, retryDeadLetters, type DeadLetter, type OutboxFilter } from './outbox-admin.ts';
export { Deliverer, type DelivererOptions, type DeliveryEvent, type DeliveryObserver, type DeliveryOutcome } from './deliverer.ts';
export { createDeliverer, type CreateDelivererOptions } from './create-deliverer.ts';
export { deliverAlerts, type DeliverAlertsOptions, type DeliverySummary } from './deliver-alerts.ts';
export { createDestination, createDestinations } from './create.ts';
export { sendTest, sampleAlert } from './send-test.ts';
export { slackMessage, type SlackMessage } from './slack-message.ts';
export { webhookPayload, WEBHOOK_PAYLOAD_VERSION, type WebhookPayload } from './webhook-payload.ts';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './signature.ts';
export { systemClock, type Clock } from './clock.ts';
export type { Destination, Delivery, SendResult, HealthResult } from './types.ts';
