/**
 * Reading profiles from disk: a file path, or the id of a profile shipped in device-profiles/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CredlineError } from '../errors/credline-error.js';
import { installedPath } from '../install/index.js';
import { checkProfile, parseProfile, type ProfileCheck } from './check-profile.js';
import type { LoadedProfile } from './profile-types.js';

/** Reads and parses a profile file's JSON, turning a syntax error into `file:line:column: message`. */
export function readProfileJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CredlineError(
      'PROFILE_UNREADABLE',
      `cannot read profile ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : '';
    throw new CredlineError('PROFILE_INVALID', `${path}${where}: not valid JSON (${message})`);
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Loads a profile by file path, or by the id of a shipped profile (`u-boot`, `credline-agent`).
 *
 * @example const { profile, hash } = loadProfile('device-profiles/u-boot.json');
 */
export function loadProfile(pathOrId: string): LoadedProfile {
  const path = resolveProfilePath(pathOrId);
  return parseProfile(readProfileJson(path), path);
}

/** Validates a profile file and returns every issue (for `credline profiles validate`). */
export function validateProfileFile(path: string): ProfileCheck {
  return checkProfile(readProfileJson(path), path);
}

function resolveProfilePath(pathOrId: string): string {
  if (existsSync(pathOrId) || /[/\\]|\.json$/.test(pathOrId)) return pathOrId;
  const shipped = join(shippedProfilesDir(), `${pathOrId}.json`);
  if (existsSync(shipped)) return shipped;
  throw new CredlineError(
    'PROFILE_NOT_FOUND',
    `no profile file ${pathOrId} and no shipped profile with that id (run credline profiles list)`,
  );
}

/** The device-profiles/ folder of this installation. */
export function shippedProfilesDir(): string {
  return installedPath('device-profiles');
}

/** Paths of the shipped profiles (every device-profiles/*.json except the schema), sorted. */
export function listShippedProfilePaths(): string[] {
  const dir = shippedProfilesDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}
