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

/** The data directory cannot be opened, written or locked: names the path and what to do. */
export class StateError extends TailwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super('STATE', message, options);
    this.name = 'StateError';
  }
}

/** The database has no room left (disk full, or maxDatabaseMiB reached); nothing of the failed write was kept. */
export class StorageFullError extends TailwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super('STORAGE_FULL', message, options);
    this.name = 'StorageFullError';
  }
}

/** Another `tailwatch run` holds the data directory. */
export class DataDirLockedError extends TailwatchError {
  readonly pid: number;
  constructor(message: string, pid: number) {
    super('LOCKED', message);
    this.name = 'DataDirLockedError';
    this.pid = pid;
  }
}
