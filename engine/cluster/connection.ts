// The node's one NATS connection: servers, auth (credentials file or token from the environment), TLS, endless
// reconnects, and whether it is up right now (receivers answer 503 at once while it is not, instead of buffering).
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { resolveSecret, type Environment } from '../config/secret.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { ClusterConfig } from './cluster-config.ts';

export class ClusterConnection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  #connected = true;
  #since = Date.now();

  private constructor(nc: NatsConnection, js: JetStreamClient, jsm: JetStreamManager, logger: Logger | undefined) {
    this.nc = nc;
    this.js = js;
    this.jsm = jsm;
    void this.#watch(logger);
  }

  static async open(cluster: ClusterConfig, env: Environment, logger?: Logger): Promise<ClusterConnection> {
    const nc = await connect(connectionOptions(cluster, env)).catch((error: unknown) => {
      throw new ConfigError(`cluster: cannot connect to NATS at ${cluster.servers.join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const jsm = await jetstreamManager(nc).catch(async (error: unknown) => {
      await nc.close();
      throw new ConfigError(`cluster: NATS at ${cluster.servers.join(', ')} has no JetStream (start nats-server with -js): ${String(error)}`);
    });
    return new ClusterConnection(nc, jetstream(nc), jsm, logger);
  }

  /** False from a disconnect until the client is connected again. */
  get connected(): boolean {
    return this.#connected;
  }

  health(): { ok: boolean; detail: string } {
    const server = this.nc.getServer();
    const seconds = Math.round((Date.now() - this.#since) / 1000);
    return this.#connected ? { ok: true, detail: `connected to ${server}` } : { ok: false, detail: `NATS unreachable for ${seconds} s (last server ${server})` };
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }

  async #watch(logger: Logger | undefined): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect' && this.#connected) {
        this.#connected = false;
        this.#since = Date.now();
        logger?.warn('NATS connection lost; receivers answer 503 until it is back', { server: status.server });
      } else if (status.type === 'reconnect') {
        this.#connected = true;
        this.#since = Date.now();
        logger?.info('NATS connection restored', { server: status.server });
      }
    }
  }
}

export function connectionOptions(cluster: ClusterConfig, env: Environment): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: cluster.servers,
    name: 'tailwatch',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 5_000,
  };
  const auth = cluster.auth;
  if (auth !== undefined && 'credsFile' in auth) {
    const file = auth.credsFile;
    options.authenticator = credsAuthenticator(() => readFileSync(file));
  } else if (auth !== undefined) {
    options.token = resolveSecret(auth.token, 'cluster.auth.token', env);
  }
  if (cluster.tls !== undefined) {
    const { caFile, certFile, keyFile, handshakeFirst } = cluster.tls;
    options.tls = { handshakeFirst, ...(caFile === undefined ? {} : { caFile }), ...(certFile === undefined ? {} : { certFile }), ...(keyFile === undefined ? {} : { keyFile }) };
  }
  return options;
}
