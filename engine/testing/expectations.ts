// What an inline test of any kind asserts about its first alert: title, dedup and
// severity exactly, alertContext as a deep partial match (`actor: { loginName }` checks only that field).
import { isDeepStrictEqual } from 'node:util';

export interface AlertExpectations {
  title?: string | undefined;
  dedup?: string | undefined;
  severity?: string | undefined;
  alertContext?: Record<string, unknown> | undefined;
}

/** The alert fields a test can assert on. */
export interface CheckedAlert {
  title: string;
  dedup: string;
  severity: string;
  alertContext: Record<string, unknown>;
}

/** One line per failed expectation, each with its path and expected vs actual. */
export function checkAlert(expected: AlertExpectations, alert: CheckedAlert): string[] {
  const failures: string[] = [];
  expectEqual(failures, 'title', expected.title, alert.title);
  expectEqual(failures, 'dedup', expected.dedup, alert.dedup);
  expectEqual(failures, 'severity', expected.severity, alert.severity);
  if (expected.alertContext !== undefined) expectPartial(failures, 'alertContext', expected.alertContext, alert.alertContext);
  return failures;
}

function expectEqual(failures: string[], path: string, expected: unknown, actual: unknown): void {
  if (expected === undefined || isDeepStrictEqual(expected, actual)) return;
  failures.push(`${path}: expected ${show(expected)}, actual ${show(actual)}`);
}

/**
 * Objects match when every key the test gives matches (keys it leaves out are not checked); arrays match
 * element by element and must have the same length; anything else must be equal.
 */
function expectPartial(failures: string[], path: string, expected: unknown, actual: unknown): void {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    for (const [key, value] of Object.entries(expected)) expectPartial(failures, `${path}.${key}`, value, actual[key]);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    expected.forEach((value, i) => expectPartial(failures, `${path}[${i}]`, value, actual[i]));
    return;
  }
  if (!isDeepStrictEqual(expected, actual)) failures.push(`${path}: expected ${show(expected)}, actual ${show(actual)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
