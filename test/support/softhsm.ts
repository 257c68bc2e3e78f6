/**
 * A SoftHSM2 token in a temporary directory, as the real PKCS#11 peer of the token-key tests: its own config file
 * (SOFTHSM2_CONF, set in this process for in-process tests and passed to child processes), one initialised token.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOFTHSM2, SOFTHSM2_UTIL, havePrerequisites } from './prerequisites.js';

export const SOFTHSM_MODULE = SOFTHSM2.tool;
export const USER_PIN = '4711-line-pin';
export const SO_PIN = '0815-so-pin';
/** The published test-vector key K = 00 01 … 1f (docs/derivation.md). */
export const TEST_VECTOR_KEY_HEX = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex');

export function haveSoftHsm(): boolean {
  return havePrerequisites('PKCS#11 token tests', SOFTHSM2, SOFTHSM2_UTIL);
}

export interface SoftHsm {
  dir: string;
  /** The SOFTHSM2_CONF path, for child processes' environment. */
  conf: string;
  env: Record<string, string>;
  /** Initialises another token with this label (user PIN {@link USER_PIN}). */
  initToken(label: string): void;
  cleanup(): void;
}

/** A fresh SoftHSM2 store with one token labelled `label`; sets SOFTHSM2_CONF for this process. */
export function createSoftHsm(label: string): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), 'credline-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  process.env['SOFTHSM2_CONF'] = conf;
  const env = { SOFTHSM2_CONF: conf };
  const initToken = (tokenLabel: string): void => {
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', tokenLabel, '--pin', USER_PIN, '--so-pin', SO_PIN],
      { env: { ...process.env, ...env }, stdio: 'ignore' },
    );
  };
  initToken(label);
  return { dir, conf, env, initToken, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
