import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStore, provision, tempDir } from './helpers.js';

/** Runs `credline ARGS | head ...` in bash: the CLI's exit status, its stderr, and what the reader got. */
function pipedToHead(
  args: readonly string[],
  head: string,
): { status: number; stderr: string; read: string } {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const run = spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" bin/credline.js ${quoted} 2>"$ERR" | ${head}; echo "status \${PIPESTATUS[0]}" >&2; cat "$ERR" >&2`,
    ],
    { encoding: 'utf8', env: { ...process.env, ERR: join(tempDir(), 'stderr.txt') } },
  );
  const [statusLine, ...stderr] = run.stderr.split('\n');
  return { status: Number(statusLine?.replace('status ', '')), stderr: stderr.join('\n'), read: run.stdout };
}

describe('a reader that stops early (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credline-closed-output-'));
  let db: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => {
    const store = newStore(join(dir, 'many.db'));
    store.transaction(() => {
      for (let i = 0; i < 1500; i++) provision(store, 'SN-1', 'FAIL'); // ~800 KB of listing, far past a pipe buffer
    });
    store.close();
    db = store.file;
  });

  for (const format of ['text', 'json', 'jsonl']) {
    it(`evidence list --format ${format} | head -1 ends quietly with exit 0`, () => {
      const run = pipedToHead(['evidence', 'list', '--db', db, '--format', format], 'head -1');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.read.split('\n')).toHaveLength(2);
    });
  }

  it('evidence show … | head -c 1500 ends quietly with exit 0', () => {
    const run = pipedToHead(['evidence', 'show', 'SN-1', '--db', db], 'head -c 1500');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.read).toMatch(/^ +4 INTENT +SN-1/);
  });
});
