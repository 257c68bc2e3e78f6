/**
 * Files holding secrets that group or others can read are warned about the same way by every command that reads
 * them: a passphrase file (the passphrase itself) and a sealed key file (open to offline guessing).
 */
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, TEST_KEY, TEST_PASSPHRASE_FILE } from './run-cli.js';

describe('secret files readable by others', () => {
  it('are warned about, in one line each, by keys info and derive alike; 0600 files are not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-access-'));
    const key = join(dir, 'line.ckey');
    const pass = join(dir, 'pass.txt');
    copyFileSync(TEST_KEY, key);
    copyFileSync(TEST_PASSPHRASE_FILE, pass);
    chmodSync(key, 0o644);
    chmodSync(pass, 0o640);
    const keyWarning = `credline: warning: key file ${key} can be read by group or others (mode 644): chmod 600 ${key}\n`;
    const passWarning = `credline: warning: passphrase file ${pass} can be read by group or others (mode 640): chmod 600 ${pass}\n`;
    const commands = [
      ['keys', 'info', key, '--passphrase-file', pass],
      [
        'derive',
        '--key',
        key,
        '--passphrase-file',
        pass,
        '--profile-id',
        'acme-cam',
        '--serial',
        'KL2301-100001',
      ],
    ];
    for (const args of commands) {
      const r = runCli(args);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain(keyWarning);
      expect(r.stderr).toContain(passWarning);
    }
    chmodSync(key, 0o600);
    chmodSync(pass, 0o600);
    for (const args of commands) expect(runCli(args).stderr).not.toContain('warning');
  });
});
