import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The Python program published in docs/derivation.md must reproduce every committed vector: the spec, not just
// the library, is what a third party re-implements.
const python = spawnSync('python3', ['--version']).status === 0;
if (!python && process.env['CI'] !== 'true') {
  console.warn(
    'NOTICE: python3 not found: skipping the published-spec check (install Debian package python3)',
  );
}

describe.runIf(python || process.env['CI'] === 'true')('docs/derivation.md', () => {
  it('its Python re-implementation reproduces every test vector', () => {
    const doc = readFileSync(new URL('../../docs/derivation.md', import.meta.url), 'utf8');
    const code = /```python\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(code).toBeDefined();
    const script = join(mkdtempSync(join(tmpdir(), 'credline-spec-')), 'rederive.py');
    writeFileSync(script, code ?? '');
    const vectors = new URL('../vectors/derivation-v1.json', import.meta.url).pathname;
    const vectorCount = (JSON.parse(readFileSync(vectors, 'utf8')) as { vectors: unknown[] }).vectors.length;
    expect(execFileSync('python3', [script, vectors], { encoding: 'utf8' }).trim()).toBe(
      `${vectorCount} vectors reproduced`,
    );
  });
});
