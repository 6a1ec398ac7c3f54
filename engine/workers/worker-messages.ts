// What every watched worker tells its owner besides its own results.

/** Sent the first time a rule runs (or a module loads) in the worker: the watchdog names what overran by its index. */
export interface RuleNamed {
  type: 'rule-named';
  index: number;
  name: string;
}

/** An error the worker's job threw (a bad config, a rule that fails to load): rethrown on the owner's side. */
export interface WorkerFailure {
  type: 'worker-failed';
  code: string;
  message: string;
}
