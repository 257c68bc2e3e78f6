/**
 * One running station per station id and evidence file. At start-up a station closes its own intents left open by
 * a crash (as ABORTED); a second live station with the same id on the same file would close the first one's units
 * in hand. The lock is a file next to the store (`<db>.station-<id>.lock`, 0600) holding the owner's pid; a lock
 * whose process is gone (a crash, kill -9) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { fsErrorText } from '../errors/fs-error-text.js';

/**
 * Takes the lock for `stationId` on `dbFile`; returns the function that releases it.
 *
 * @example
 * const release = acquireStationLock('line3.db', 'bench-2');
 * try { … } finally { release(); }
 */
export function acquireStationLock(dbFile: string, stationId: string): () => void {
  const path = `${dbFile}.station-${stationId.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw usageError(
          'STATION_LOCK',
          `cannot create the station lock ${path}: ${fsErrorText(error)}`,
          error,
        );
      }
      const owner = lockOwner(path);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw usageError(
          'STATION_RUNNING',
          `station ${stationId} is already running on ${dbFile} (pid ${owner}); give each station sharing a file ` +
            'its own --station id',
        );
      }
      removeStale(path);
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return () => removeStale(path);
  }
  throw usageError('STATION_LOCK', `cannot take the station lock ${path}: another station keeps taking it`);
}

function lockOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

function removeStale(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
