// The AWS SDK is heavy: loading a config and building its sources pulls it in only when an S3 source is started.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENGINE = pathToFileURL(resolve(import.meta.dirname, '../../engine')).href;

/** In a fresh Node process: load the config, build and start its sources, and list the AWS SDK modules resolved. */
function sdkModulesLoaded(sources: unknown[]): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { if (specifier.startsWith('@aws-sdk/')) seen.push(specifier); return next(specifier, context); } });
    const { validateConfig } = await import('${ENGINE}/config/load.ts');
    const { createSources } = await import('${ENGINE}/sources/create-sources.ts');
    const config = validateConfig({ sources: ${JSON.stringify(sources)}, destinations: {}, defaultRoute: [] }, process.cwd(), 'inline', { checkSecrets: false });
    const checkpoints = { load: () => new Map() };
    const built = createSources(config.sources, { checkpoints, env: { T: 'token' } });
    for (const source of built) if (source.kind !== 'hec') { await source.start(async () => {}); await source.stop(); }
    process.stdout.write(JSON.stringify(seen));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((done, fail) => child.on('close', (code) => (code === 0 ? done(JSON.parse(out) as string[]) : fail(new Error(`exit ${code}`)))));
}

describe('the S3 SDK', () => {
  it('is not loaded for a config without an S3 source', async () => {
    expect(await sdkModulesLoaded([{ kind: 'hec', listen: '127.0.0.1:0', tokens: [{ env: 'T' }] }])).toEqual([]);
  });

  it('is loaded once an S3 source starts', async () => {
    const s3 = { kind: 's3', bucket: 'b', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, pollSeconds: 3600 };
    expect(await sdkModulesLoaded([s3])).toContain('@aws-sdk/client-s3');
  });
});
