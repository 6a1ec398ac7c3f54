// The state module's front door: the one SQLite file, its schema, the transaction helper and the data directory lock.
export { DATABASE_FILE, openDatabase, type Database, type OpenOptions } from './database.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { transaction } from './transaction.ts';
export { acquireEvaluatorLock, assertNoRunningEvaluator, heartbeat, holderOf, releaseEvaluatorLock, HEARTBEAT_MS, type LockHolder } from './evaluator-lock.ts';
