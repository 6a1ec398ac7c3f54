// Readiness is the AND of registered checks (sources up, rules loaded, outbox moving); each says why it fails.

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export interface CheckReport extends CheckResult {
  name: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckReport[];
}

/** A check that does not answer in time counts as failing rather than hanging /readyz. */
const CHECK_TIMEOUT_MS = 2_000;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Registers (or replaces) a named check; returns a function that removes it. */
  register(name: string, check: ReadinessCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  async evaluate(): Promise<ReadinessReport> {
    const checks = await Promise.all([...this.checks].map(([name, check]) => runCheck(name, check)));
    return { ready: checks.every((check) => check.ok), checks };
  }
}

async function runCheck(name: string, check: ReadinessCheck): Promise<CheckReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    return result.detail === undefined ? { name, ok: result.ok } : { name, ok: result.ok, detail: result.detail };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
