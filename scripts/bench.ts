/**
 * `npm run bench [-- NAME ...]`: runs every scripts/bench-*.ts module (or the ones named) and prints its figures.
 * Each module exports `run(): Promise<void>` and prints its own lines; timing lives here, never in tests.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => /^bench-[a-z0-9-]+\.js$/.test(f))
  .map((f) => ({ name: f.slice('bench-'.length, -'.js'.length), file: join(here, f) }))
  .filter((m) => wanted.length === 0 || wanted.includes(m.name))
  .sort((a, b) => a.name.localeCompare(b.name));

if (modules.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exitCode = 2;
}
for (const m of modules) {
  console.log(`\n== ${m.name} ==`);
  const mod = (await import(pathToFileURL(m.file).href)) as { run: () => Promise<void> };
  await mod.run();
}
