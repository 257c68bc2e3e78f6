/**
 * One door per module: nothing in src/ or scripts/ outside a module src/<m>/ that has an index.ts imports a file
 * inside it other than that index. Two plain-data wings are doors of their own, so that the evidence store migrates
 * and verifies a file without loading compliance or order code: compliance/tables and orders/tables.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const DATA_DOORS = ['src/compliance/tables/index.js', 'src/orders/tables/index.js'];
const IMPORT = /(?:from\s+|import\s*\(\s*)['"](\.[^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('module doors', () => {
  it('are the only way into a module that has one', () => {
    const modules = readdirSync(join(ROOT, 'src')).filter((m) =>
      statSync(join(ROOT, 'src', m)).isDirectory(),
    );
    const doors = new Set(
      modules.filter((m) => tsFiles(join(ROOT, 'src', m)).some((f) => f.endsWith(`${m}/index.ts`))),
    );
    const past: string[] = [];
    for (const file of [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'scripts'))]) {
      const from = relative(ROOT, file);
      const own = from.startsWith('src/') ? from.split('/')[1] : undefined;
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = normalize(join(dirname(from), spec ?? ''));
        const [top, module, ...rest] = target.split('/');
        if (top !== 'src' || module === undefined || module === own || !doors.has(module)) continue;
        if (rest.join('/') === 'index.js' || DATA_DOORS.includes(target)) continue;
        past.push(`${from} imports ${spec}`);
      }
    }
    expect(past).toEqual([]);
  });
});
