// Each source and destination file owns its config schema beside its create(); config/schema.ts only gathers them.
import { describe, expect, it } from 'vitest';
import { checkSecrets } from '../../engine/config/check-secrets.ts';
import { Config, DestinationConfig, SourceConfig } from '../../engine/config/schema.ts';
import * as fileDestination from '../../engine/destinations/file.ts';
import * as slack from '../../engine/destinations/slack.ts';
import * as stdout from '../../engine/destinations/stdout.ts';
import * as webhook from '../../engine/destinations/webhook.ts';
import * as fileSource from '../../engine/sources/file-source.ts';
import * as hec from '../../engine/sources/hec.ts';
import * as s3 from '../../engine/sources/s3-source.ts';
import * as stdin from '../../engine/sources/stdin-source.ts';
import * as tailscaleApi from '../../engine/sources/tailscale-api-source.ts';
import * as tailscaleWebhook from '../../engine/sources/tailscale-webhook.ts';

const context = { name: 'x', key: 'sources[0]', env: { T: 'token' }, checkpoints: new Map<string, string>() };

describe('component config', () => {
  it('every source file exports its schema and its create(config, context)', async () => {
    const hecConfig = hec.HecSourceConfig.parse({ kind: 'hec', tokens: [{ env: 'T' }] });
    const receiver = hec.createHecSource(hecConfig, context);
    expect(receiver).toBeInstanceOf(hec.HecSource);
    expect(receiver.name).toBe('x');
    expect(fileSource.createFileSource(fileSource.FileSourceConfig.parse({ kind: 'file', paths: ['/tmp/none'] }), context)).toBeInstanceOf(fileSource.FileSource);
    expect(s3.createS3Source(s3.S3SourceConfig.parse({ kind: 's3', bucket: 'b' }), context)).toBeInstanceOf(s3.S3Source);
    expect(stdin.createStdinSource(stdin.StdinSourceConfig.parse({ kind: 'stdin' }), context)).toBeInstanceOf(stdin.StdinSource);
    const webhookConfig = tailscaleWebhook.TailscaleWebhookSourceConfig.parse({ kind: 'tailscale-webhook', secret: { env: 'T' } });
    expect(webhookConfig).toMatchObject({ listen: '127.0.0.1:8089', path: '/tailscale/webhook', toleranceSeconds: 300 });
    expect(tailscaleWebhook.createTailscaleWebhookSource(webhookConfig, context)).toBeInstanceOf(tailscaleWebhook.TailscaleWebhookSource);
    expect(() => tailscaleWebhook.createTailscaleWebhookSource(webhookConfig, { ...context, env: {} })).toThrow('sources[0].secret: environment variable T is not set');
    const apiConfig = tailscaleApi.TailscaleApiSourceConfig.parse({ kind: 'tailscale-api', auth: { kind: 'token', token: { env: 'T' } } });
    expect(apiConfig).toMatchObject({ logs: ['configuration'], baseUrl: 'https://api.tailscale.com', auth: { scheme: 'bearer' } });
    expect(tailscaleApi.createTailscaleApiSource(apiConfig, context)).toBeInstanceOf(tailscaleApi.TailscaleApiSource);
    const oauthConfig = tailscaleApi.TailscaleApiSourceConfig.parse({ kind: 'tailscale-api', auth: { kind: 'oauth', clientId: 'k1', clientSecret: { env: 'S' } } });
    expect(() => tailscaleApi.createTailscaleApiSource(oauthConfig, context)).toThrow('sources[0].auth.clientSecret: environment variable S is not set');
    const withApi = Config.parse({ sources: [{ kind: 'tailscale-api', auth: { kind: 'token', token: { env: 'TS_API_TOKEN' } } }], destinations: {}, defaultRoute: [] });
    expect(() => checkSecrets(withApi, {})).toThrow('sources[0].auth.token: environment variable TS_API_TOKEN is not set');
    await receiver.stop();
  });

  it('every destination file exports its schema and its create(config, context)', () => {
    const destContext = { name: 'd', env: { U: 'https://hooks.example/x' } };
    expect(slack.createSlackDestination(slack.SlackDestination.parse({ kind: 'slack', url: { env: 'U' } }), destContext).kind).toBe('slack');
    expect(webhook.createWebhookDestination(webhook.WebhookDestination.parse({ kind: 'webhook', url: { env: 'U' } }), destContext).kind).toBe('webhook');
    expect(stdout.createStdoutDestination(stdout.StdoutDestination.parse({ kind: 'stdout' }), destContext).kind).toBe('stdout');
    expect(fileDestination.createFileDestination(fileDestination.FileDestination.parse({ kind: 'file', path: '/tmp/a.ndjson' }), destContext).kind).toBe('file');
  });

  it('HEC defaults live once: the schema default and the receiver default agree', () => {
    const parsed = hec.HecSourceConfig.parse({ kind: 'hec', tokens: [{ env: 'T' }] });
    expect(parsed.listen).toBe(hec.DEFAULT_HEC_LISTEN);
    expect(parsed.maxBodyBytes).toBe(hec.HEC_DEFAULTS.maxBodyBytes);
    expect(new hec.HecSource({ name: 'h', tokens: ['t'] }).listen).toBe(hec.DEFAULT_HEC_LISTEN);
  });

  it('S3 defaults live once: the schema applies S3_DEFAULTS', () => {
    expect(s3.S3SourceConfig.parse({ kind: 's3', bucket: 'b' })).toMatchObject(s3.S3_DEFAULTS);
  });

  it('the config unions are built from the component schemas and stay strict', () => {
    expect(SourceConfig.options).toEqual([
      hec.HecSourceConfig, fileSource.FileSourceConfig, s3.S3SourceConfig, stdin.StdinSourceConfig, tailscaleWebhook.TailscaleWebhookSourceConfig,
      tailscaleApi.TailscaleApiSourceConfig,
    ]);
    expect(DestinationConfig.options).toEqual([slack.SlackDestination, webhook.WebhookDestination, stdout.StdoutDestination, fileDestination.FileDestination]);
    const misspelt = Config.safeParse({
      destinations: { c: { kind: 'stdout', fromat: 'text' } }, defaultRoute: ['c'],
      sources: [{ kind: 'hec', tokens: [{ env: 'T' }], maxBodyByte: 1 }, { kind: 'tailscale-api', auth: { kind: 'token', token: { env: 'T' } }, windowSecond: 60 }],
    });
    expect(misspelt.success).toBe(false);
    const keys = misspelt.error?.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : [])) ?? [];
    expect(keys.sort()).toEqual(['fromat', 'maxBodyByte', 'windowSecond']);
  });
});
