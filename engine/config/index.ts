// The config stage's public surface.
export { defineConfig } from './define-config.ts';
export { DEFAULT_CONFIG, DEFAULT_CONFIG_FILE } from './defaults.ts';
export { loadConfig, loadConfigOrDefault, validateConfig, type LoadConfigOptions } from './load.ts';
export { Config, DeliveryPolicy, type ConfigInput } from './schema.ts';
export { SecretRef, TextOrSecret, resolveSecret, type Environment } from './secret.ts';
export { SourceConfig, HecSource, FileSource, S3Source, StdinSource, ListenAddress } from './sources.ts';
export { DestinationConfig, SlackDestination, WebhookDestination, StdoutDestination, FileDestination } from './destinations.ts';
export { Route, RouteMatch } from './routes.ts';
