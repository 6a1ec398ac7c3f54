// `tailwatch send-test --destination NAME`: prints what the destination answered; exit 1 when it failed.
import { loadConfigOrDefault } from '../config/load.ts';
import { sendTest } from '../destinations/send-test.ts';
import { assertNoRunningEvaluator } from '../state/evaluator-lock.ts';

export async function runSendTestCommand(options: { destination: string; config?: string | undefined }): Promise<void> {
  // Only the named destination's secrets matter: building it resolves them, and names any that is unset.
  const config = await loadConfigOrDefault(options.config, { checkSecrets: false });
  assertNoRunningEvaluator(config.dataDir, 'send-test');
  const { health, result } = await sendTest(config, options.destination);
  const name = options.destination;
  if (!health.ok) {
    process.stdout.write(`✗ ${name}: health check failed: ${health.error}\n`);
    process.exitCode = 1;
  } else if (result?.ok) {
    process.stdout.write(`✓ ${name}: test alert delivered${result.status === undefined ? '' : ` (HTTP ${result.status})`}\n`);
  } else if (result) {
    const hint = result.retryable ? 'temporary: the outbox would retry this' : 'permanent: fix the destination settings';
    process.stdout.write(`✗ ${name}: ${result.error} (${hint})\n`);
    process.exitCode = 1;
  }
}
