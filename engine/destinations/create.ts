// Builds the destinations a config names; secrets are resolved here, once, and a missing one is a ConfigError.
import type { Config, DestinationConfig } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import type { DestinationContext } from './destination-config.ts';
import { createFileDestination } from './file.ts';
import { createSlackDestination } from './slack.ts';
import { createStdoutDestination } from './stdout.ts';
import type { Destination } from './types.ts';
import { createWebhookDestination } from './webhook.ts';

export function createDestination(name: string, config: DestinationConfig, env: Environment = process.env, stdout?: DestinationContext['stdout']): Destination {
  const context = { name, env, stdout };
  switch (config.kind) {
    case 'slack':
      return createSlackDestination(config, context);
    case 'webhook':
      return createWebhookDestination(config, context);
    case 'stdout':
      return createStdoutDestination(config, context);
    case 'file':
      return createFileDestination(config, context);
  }
}

export function createDestinations(config: Pick<Config, 'destinations'>, env: Environment = process.env, stdout?: DestinationContext['stdout']): Map<string, Destination> {
  return new Map(Object.entries(config.destinations).map(([name, d]) => [name, createDestination(name, d, env, stdout)]));
}
