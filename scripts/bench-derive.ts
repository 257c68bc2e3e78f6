/**
 * Derivation hot paths (issue 3): derivations/s through the library, and `credline derive --serials-file` over
 * 1,000,000 serials end to end (wall time, rate, peak RSS of the CLI process, the key unseal included), bare and
 * with the policy. BENCH_BEFORE=<a built checkout of another commit> runs each CLI figure there too, in the same
 * run, and prints the two side by side.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFingerprinter, createPasswordDeriver, UNAMBIGUOUS56 } from '../src/derive/index.js';

const SERIALS = 1_000_000;
const POLICY_SERIALS = 100_000;
const before = process.env['BENCH_BEFORE'];
const root = fileURLToPath(new URL('../../', import.meta.url));

function rate(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-GB')}/s`;
}

export async function run(): Promise<void> {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const derive = createPasswordDeriver(key, { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 });
  const fingerprintOf = createFingerprinter(key);
  for (let i = 0; i < 20_000; i++) derive(`W${i}`); // warm up
  let t = performance.now();
  for (let i = 0; i < SERIALS; i++) derive(`KL2301-${i}`);
  const libraryMs = performance.now() - t;
  console.log(
    `library derive, ${SERIALS.toLocaleString('en-GB')} serials: ${(libraryMs / 1000).toFixed(2)} s, ${rate(SERIALS, libraryMs)}`,
  );
  t = performance.now();
  for (let i = 0; i < SERIALS; i++) fingerprintOf(`pw${i}`);
  console.log(`library fingerprint: ${rate(SERIALS, performance.now() - t)}`);

  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-derive-'));
  try {
    await compareCli(dir, SERIALS, ['--no-policy'], 'bare scheme (--no-policy)');
    await compareCli(dir, 1_000, ['--no-policy'], 'bare scheme, for the memory baseline');
    await compareCli(dir, POLICY_SERIALS, [], 'with the password policy');
    await compareCli(dir, SERIALS, [], 'with the password policy', false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One CLI figure, here and (with BENCH_BEFORE, unless `withBefore` is false) in the other checkout. */
async function compareCli(
  dir: string,
  count: number,
  extra: string[],
  what: string,
  withBefore = true,
): Promise<void> {
  const after = await timeCli(dir, root, count, extra);
  const label = `CLI derive --serials-file, ${count.toLocaleString('en-GB')} serials, ${what}`;
  if (before === undefined || !withBefore) {
    console.log(`${label}: ${after}`);
    return;
  }
  const then = await timeCli(dir, before, count, extra);
  console.log(`${label}:\n  before (${before}): ${then}\n  after: ${after}`);
}

async function timeCli(dir: string, checkout: string, count: number, extra: string[]): Promise<string> {
  const input = join(dir, `serials-${count}.txt`);
  const file = createWriteStream(input);
  for (let i = 0; i < count; i++) {
    if (!file.write(`KL2301-${String(i).padStart(7, '0')}\n`)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'close');
  const out = join(dir, 'out.csv');
  const args = ['-f', '%e %M', process.execPath, join(checkout, 'bin/credline.js'), 'derive', ...extra];
  args.push('--key', join(root, 'test/fixtures/test-vector-line-key.ckey'));
  args.push('--passphrase-file', join(root, 'test/fixtures/test-vector-passphrase.txt'));
  args.push('--profile-id', 'acme-cam', '--serials-file', input, '--out', out, '--force');
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`credline derive failed: ${r.stderr}`);
  const [seconds = 0, maxKb = 0] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return (
    `${seconds.toFixed(2)} s wall (${rate(count, seconds * 1000)}, ~1 s of it the scrypt unseal), ` +
    `peak RSS ${(maxKb / 1024).toFixed(0)} MB (scrypt N=2^17 r=8 alone needs 128 MiB), ` +
    `CSV ${(statSync(out).size / 1e6).toFixed(1)} MB`
  );
}
