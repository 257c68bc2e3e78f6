import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '../../bin/credline.js');
const credline = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('credline profiles', () => {
  it('list shows the shipped profiles', () => {
    const r = credline('profiles', 'list', '--format', 'json');
    expect(r.status).toBe(0);
    const ids = (JSON.parse(r.stdout) as Array<{ id: string }>).map((p) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining(['credline-agent', 'credline-agent-psk', 'u-boot', 'u-boot-nocommit']),
    );
  });

  it('show prints the hash and the console rule', () => {
    const r = credline('profiles', 'show', 'u-boot');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^hash {6}[0-9a-f]{64}$/m);
    expect(r.stdout).toContain('quoting single');
  });

  it('validate prints every problem with file and JSON path, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credline-profiles-cli-'));
    const good = join(__dirname, '../../device-profiles/u-boot.json');
    const bad = join(dir, 'bad.json');
    const profile = JSON.parse(readFileSync(good, 'utf8')) as Record<string, Record<string, unknown>>;
    profile['passwordPolicy'] = {
      ...profile['passwordPolicy'],
      alphabet: "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'",
    };
    profile['serialPort'] = { ...profile['serialPort'], baud: 9600 };
    writeFileSync(bad, JSON.stringify(profile));
    const r = credline('profiles', 'validate', good, bad);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`${good}: ok (u-boot revision 1`);
    expect(r.stdout).toContain(`${bad}: $.serialPort: unknown key "baud"`);
    const fixed = { ...profile, serialPort: { ...profile['serialPort'] } };
    delete (fixed['serialPort'] as Record<string, unknown>)['baud'];
    writeFileSync(bad, JSON.stringify(fixed));
    const again = credline('profiles', 'validate', bad);
    expect(again.status).toBe(2);
    expect(again.stdout).toContain(`${bad}: $.passwordPolicy.alphabet: the alphabet holds "'"`);
  });
});
