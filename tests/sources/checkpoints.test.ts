import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CheckpointStore, parseCheckpoint } from '../../engine/sources/checkpoints.ts';
import { openDatabase, transaction } from '../../engine/state/database.ts';
import { tempDir } from './harness.ts';

describe('CheckpointStore', () => {
  it('stores positions per source, forgets null ones, and survives reopening', () => {
    const dir = tempDir('checkpoints');
    const db = openDatabase(dir);
    const store = new CheckpointStore(db);
    transaction(db, () => store.apply('files', [{ key: 'inode:1:2', value: '{"offset":10}' }, { key: 'inode:1:3', value: '{"offset":5}' }]));
    store.set('s3', 'position', '{"key":"a"}');
    transaction(db, () => store.apply('files', [{ key: 'inode:1:3', value: null }, { key: 'inode:1:2', value: '{"offset":20}' }]));
    db.close();

    const reopened = new CheckpointStore(openDatabase(dir));
    expect(reopened.load('files')).toEqual(new Map([['inode:1:2', '{"offset":20}']]));
    expect(reopened.get('s3', 'position')).toBe('{"key":"a"}');
    expect(reopened.get('s3', 'missing')).toBeUndefined();
  });

  it('writes nothing when the batch transaction rolls back', () => {
    const db = openDatabase(tempDir('rollback'));
    const store = new CheckpointStore(db);
    expect(() => transaction(db, () => {
      store.set('files', 'inode:1:2', '{"offset":10}');
      throw new Error('outbox insert failed');
    })).toThrow('outbox insert failed');
    expect(store.load('files').size).toBe(0);
  });

  it('reads a damaged checkpoint as absent instead of failing', () => {
    const Position = z.object({ offset: z.number() });
    expect(parseCheckpoint(Position, '{"offset":3}')).toEqual({ offset: 3 });
    expect(parseCheckpoint(Position, '{"offset":"x"}')).toBeUndefined();
    expect(parseCheckpoint(Position, '{not json')).toBeUndefined();
    expect(parseCheckpoint(Position, undefined)).toBeUndefined();
  });
});
