// Builds the destinations a config names; secrets are resolved here, once, and a missing one is a ConfigError.
import type { DestinationConfig } from '../config/destinations.ts';
import type { Config } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import { fileDestination } from './file.ts';
import { slackDestination } from './slack.ts';
import { stdoutDestination } from './stdout.ts';
import type { Destination } from './types.ts';
import { webhookDestination } from './webhook.ts';

export function createDestination(name: string, config: DestinationConfig, env: Environment = process.env): Destination {
  switch (config.kind) {
    case 'slack':
      return slackDestination(name, config, env);
    case 'webhook':
      return webhookDestination(name, config, env);
    case 'stdout':
      return stdoutDestination(name, config);
    case 'file':
      return fileDestination(name, config);
  }
}

export function createDestinations(config: Pick<Config, 'destinations'>, env: Environment = process.env): Map<string, Destination> {
  return new Map(Object.entries(config.destinations).map(([name, d]) => [name, createDestination(name, d, env)]));
}
