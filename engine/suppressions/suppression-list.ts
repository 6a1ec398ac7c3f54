// The suppressions an evaluator applies: the config's entries first (in config order), then the ad hoc ones.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { DATABASE_FILE, openDatabase } from '../state/database.ts';
import type { Database } from '../state/database.ts';
import { entrySuppression } from './suppression-entry.ts';
import { adHocSuppression, listAdHocSuppressions } from './suppression-store.ts';
import type { Suppression } from './suppression.ts';

export function suppressionList(config: Pick<Config, 'suppressions'>, db: Database | undefined): Suppression[] {
  return [...config.suppressions.map(entrySuppression), ...(db === undefined ? [] : listAdHocSuppressions(db).map(adHocSuppression))];
}

/** For commands that do not own the data directory (replay): its ad hoc suppressions too, when it has a database. */
export function suppressionsWithDataDir(config: Pick<Config, 'suppressions' | 'dataDir'>): Suppression[] {
  if (!existsSync(join(config.dataDir, DATABASE_FILE))) return suppressionList(config, undefined);
  const db = openDatabase(config.dataDir);
  try {
    return suppressionList(config, db);
  } finally {
    db.close();
  }
}
