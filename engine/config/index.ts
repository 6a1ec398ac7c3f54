// The config stage's public surface.
export { defineConfig } from './define-config.ts';
export { DEFAULT_CONFIG, DEFAULT_CONFIG_FILE } from './defaults.ts';
export { loadConfig, loadConfigOrDefault, validateConfig, type LoadConfigOptions } from './load.ts';
export { Config, DeliveryPolicy, DestinationConfig, SourceConfig, type ConfigInput } from './schema.ts';
export { SecretRef, TextOrSecret, resolveSecret, type Environment } from './secret.ts';
export { HecSourceConfig } from '../sources/hec.ts';
export { FileSourceConfig } from '../sources/file-source.ts';
export { S3SourceConfig } from '../sources/s3-source.ts';
export { StdinSourceConfig } from '../sources/stdin-source.ts';
export { ListenAddress } from '../sources/source-config.ts';
export { SlackDestination } from '../destinations/slack.ts';
export { WebhookDestination } from '../destinations/webhook.ts';
export { StdoutDestination } from '../destinations/stdout.ts';
export { FileDestination } from '../destinations/file.ts';
export { Route, RouteMatch } from './routes.ts';
