import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { havePrerequisites, isAvailable } from '../support/prerequisites.js';

const missing = { tool: 'credline-no-such-tool-xyz', aptPackage: 'credline-fake-package' };
const present = { tool: 'sh', aptPackage: 'dash' };

describe('integration prerequisites', () => {
  const ci = process.env['CI'];
  afterEach(() => {
    if (ci === undefined) delete process.env['CI'];
    else process.env['CI'] = ci;
    vi.restoreAllMocks();
  });

  it('finds tools on PATH and absolute files', () => {
    expect(isAvailable(present)).toBe(true);
    expect(isAvailable(missing)).toBe(false);
    expect(isAvailable({ tool: '/no/such/u-boot.bin', aptPackage: 'u-boot-qemu' })).toBe(false);
  });

  it('a probe must succeed too, and a file must be readable (a root-only kernel image counts as missing)', () => {
    expect(isAvailable({ tool: 'sh', aptPackage: 'dash', probe: ['-c', 'exit 0'] })).toBe(true);
    expect(isAvailable({ tool: 'sh', aptPackage: 'dash', probe: ['-c', 'exit 3'] })).toBe(false);
    const unreadable = join(mkdtempSync(join(tmpdir(), 'credline-prereq-')), 'vmlinuz');
    writeFileSync(unreadable, '', { mode: 0o000 });
    expect(isAvailable({ tool: unreadable, aptPackage: 'linux-image-amd64' })).toBe(process.getuid?.() === 0);
  });

  it('outside CI: skips with a visible notice naming the package', () => {
    delete process.env['CI'];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(havePrerequisites('demo tests', present, missing)).toBe(false);
    expect(warn.mock.calls.join(' ')).toContain('sudo apt-get install -y credline-fake-package');
  });

  it('under CI=true: a missing prerequisite is a failure', () => {
    process.env['CI'] = 'true';
    expect(() => havePrerequisites('demo tests', missing)).toThrow(
      /prerequisite missing under CI.*credline-fake-package/,
    );
    expect(havePrerequisites('demo tests', present)).toBe(true);
  });
});
