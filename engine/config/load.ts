// Loads alerts.config.ts (or .js/.mjs/.json) from anywhere: import, validate, resolve paths, check secrets.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { checkSecrets, type SecretScope } from './check-secrets.ts';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_FILE } from './defaults.ts';
import { Config } from './schema.ts';
import type { Environment } from './secret.ts';

export interface LoadConfigOptions {
  /** Where `{ env }` references are looked up (default process.env). */
  env?: Environment;
  /**
   * Check that referenced environment variables are set: every one (true, the default), only the destinations'
   * (a command that delivers but reads no source), or none (a command that sends nothing, or builds what it uses).
   */
  checkSecrets?: boolean | SecretScope;
}

// Each load imports a fresh module instance, so a reload sees an edited file.
let importGeneration = 0;

export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<Config> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ConfigError(`config file ${file} not found`);
  const value = await readConfigModule(file);
  return validateConfig(value, dirname(file), file, options);
}

/** `--config` when given; else ./alerts.config.ts when it exists; else the embedded defaults. */
export async function loadConfigOrDefault(path: string | undefined, options: LoadConfigOptions = {}): Promise<Config> {
  if (path !== undefined) return loadConfig(path, options);
  if (existsSync(DEFAULT_CONFIG_FILE)) return loadConfig(DEFAULT_CONFIG_FILE, options);
  return validateConfig(DEFAULT_CONFIG, process.cwd(), 'the default configuration', options);
}

/** Validates a config object; relative paths in it are resolved against baseDir. */
export function validateConfig(value: unknown, baseDir: string, label: string, options: LoadConfigOptions = {}): Config {
  const result = Config.safeParse(value);
  if (!result.success) throw new ConfigError(`invalid config in ${label}:\n${z.prettifyError(result.error)}`);
  const config = resolvePaths(result.data, baseDir);
  const scope = options.checkSecrets ?? true;
  if (scope !== false) {
    try {
      checkSecrets(config, options.env ?? process.env, scope === true ? 'all' : scope);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`invalid config in ${label}: ${error.message}`);
      throw error;
    }
  }
  return config;
}

/** The config file's default export (or its JSON), unvalidated. */
export async function readConfigModule(file: string): Promise<unknown> {
  try {
    if (extname(file) === '.json') return JSON.parse(await readFile(file, 'utf8'));
    const module = (await import(`${pathToFileURL(file).href}?generation=${++importGeneration}`)) as { default?: unknown };
    if (module.default === undefined) throw new ConfigError(`config file ${file} has no default export`);
    return module.default;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`config file ${file} could not be loaded: ${message}`, { cause: error });
  }
}

function resolvePaths(config: Config, baseDir: string): Config {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const destinations = Object.fromEntries(
    Object.entries(config.destinations).map(([name, d]) => [name, d.kind === 'file' ? { ...d, path: at(d.path) } : d]),
  );
  return {
    ...config,
    dataDir: at(config.dataDir),
    rules: { ...config.rules, dir: at(config.rules.dir) },
    sources: config.sources.map((s) => (s.kind === 'file' ? { ...s, paths: s.paths.map(at) } : s)),
    destinations,
  };
}
