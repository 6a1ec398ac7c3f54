// Errors a user may see, each with a stable code (Vitest's habit); deep code throws, the CLI sets the exit code.

export class TailwatchError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TailwatchError';
    this.code = code;
  }
}

/** A rule module could not be loaded: names the file and the problem. */
export class RuleLoadError extends TailwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super('RULE_LOAD', message, options);
    this.name = 'RuleLoadError';
  }
}

/** alerts.config.ts is invalid or refers to something missing (e.g. an unset environment variable). */
export class ConfigError extends TailwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONFIG', message, options);
    this.name = 'ConfigError';
  }
}

/** An input (file, stdin, object) could not be read at all. */
export class InputError extends TailwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super('INPUT', message, options);
    this.name = 'InputError';
  }
}
