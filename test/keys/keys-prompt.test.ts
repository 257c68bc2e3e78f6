/**
 * The interactive passphrase prompt, driven through a real pseudo-terminal: util-linux `script` runs the CLI on a
 * pty and relays what this test writes as keystrokes. Skipped where `script` is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readKeyFileHeader } from '../../src/keys/key-file.js';
import { makeTempDir } from './fixtures.js';
import { HANG_MS } from '../support/hang.js';
import { CLI } from './run-keys-cli.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const PASSPHRASE = 'typed at the prompt';
const NEW_PASSPHRASE = 'typed again, new';

interface PtyRun {
  status: number | null;
  output: string;
}

/** Runs the CLI on a pty; each time `waitFor` appears in the output (in order), types `keys`. */
function runInPty(args: string[], dialogue: Array<[waitFor: string, keys: string]>): Promise<PtyRun> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let step = 0;
  let seenUpTo = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const next = dialogue[step];
    if (next !== undefined) {
      const at = output.indexOf(next[0], seenUpTo);
      if (at >= 0) {
        seenUpTo = at + next[0].length;
        step++;
        // Typed as soon as the prompt shows: src/cli/passphrase-options.ts turns echo off before it prints it.
        child.stdin.write(next[1]);
      }
    }
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    child.on('exit', (status) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ status, output });
    });
  });
}

let dir: string;

beforeAll(() => {
  dir = makeTempDir('pty');
});

describe.skipIf(!hasScript)('passphrase prompt on a terminal', () => {
  it('asks twice without echoing, then creates the key', async () => {
    const out = join(dir, 'prompted.ckey');
    const r = await runInPty(
      ['keys', 'create', '--out', out],
      [
        ['New passphrase for', `${PASSPHRASE}\r`],
        ['Repeat it: ', `${PASSPHRASE}\r`],
      ],
    );
    expect(r.status).toBe(0);
    expect(r.output).toContain(`created line key ${readKeyFileHeader(out).keyId} in ${out}`);
    expect(r.output).not.toContain(PASSPHRASE);
  });

  it('refuses two different passphrases and writes nothing', async () => {
    const out = join(dir, 'mismatch.ckey');
    const r = await runInPty(
      ['keys', 'create', '--out', out],
      [
        ['New passphrase for', `${PASSPHRASE}\r`],
        ['Repeat it: ', `${PASSPHRASE}!\r`],
      ],
    );
    expect(r.status).toBe(2);
    expect(r.output).toContain('credline: the two passphrases differ; nothing was written');
    expect(() => readKeyFileHeader(out)).toThrow(/no such file/);
  });

  it('stops at Ctrl-C with exit 2', async () => {
    const r = await runInPty(
      ['keys', 'create', '--out', join(dir, 'cancelled.ckey')],
      [['New passphrase', '\u0003']],
    );
    expect(r.status).toBe(2);
    expect(r.output).toContain('cancelled at the passphrase prompt');
  });

  it('asks again after a wrong passphrase, three tries in all', async () => {
    const file = join(dir, 'prompted.ckey');
    const third = await runInPty(
      ['keys', 'info', file, '--check-passphrase'],
      [
        ['Passphrase for', 'not it\r'],
        ['(try 2 of 3)', 'nor this\r'],
        ['(try 3 of 3)', `${PASSPHRASE}\r`],
      ],
    );
    expect(third.status).toBe(0);
    expect(third.output).toContain('passphrase: opens this file (checked)');
    const wrong = await runInPty(
      ['keys', 'info', file, '--check-passphrase'],
      [
        ['Passphrase for', 'one\r'],
        ['(try 2 of 3)', 'two\r'],
        ['(try 3 of 3)', 'three\r'],
      ],
    );
    expect(wrong.status).toBe(2);
    expect(wrong.output).toContain('wrong passphrase, or the file was altered');
    expect(wrong.output.match(/Passphrase for/g)).toHaveLength(3);
  });

  it('checks a prompted passphrase with info, and changes it with passwd', async () => {
    const file = join(dir, 'prompted.ckey');
    const info = await runInPty(
      ['keys', 'info', file, '--check-passphrase'],
      [['Passphrase for', `${PASSPHRASE}\r`]],
    );
    expect(info.status).toBe(0);
    expect(info.output).toContain('passphrase: opens this file (checked)');

    const passwd = await runInPty(
      ['keys', 'passwd', file],
      [
        ['Current passphrase for', `${PASSPHRASE}\r`],
        ['New passphrase for', `${NEW_PASSPHRASE}\r`],
        ['Repeat it: ', `${NEW_PASSPHRASE}\r`],
      ],
    );
    expect(passwd.status).toBe(0);
    expect(passwd.output).toContain('re-sealed line key');
    expect(passwd.output).not.toContain(PASSPHRASE);
    expect(passwd.output).not.toContain(NEW_PASSPHRASE);
  });
});
