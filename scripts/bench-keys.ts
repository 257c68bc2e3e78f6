/**
 * `npm run bench -- keys`: how long sealing and unsealing a key file take at each scrypt cost credline accepts by
 * default (the time an operator waits, and what one offline passphrase guess costs an attacker on this machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scryptSync } from 'node:crypto';
import { createKeyFile, openKeyFile } from '../src/keys/index.js';

const PASSPHRASE = 'benchmark passphrase, not a secret';
const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-keys-'));
  try {
    for (const logN of [17, 18]) {
      const N = 2 ** logN;
      const path = join(dir, `k${logN}.ckey`);
      const createMs: number[] = [];
      const openMs: number[] = [];
      const nodeMs: number[] = [];
      let peakRssMiB = 0;
      for (let i = 0; i < ROUNDS; i++) {
        let t = performance.now();
        await createKeyFile(path, { kind: 'line', passphrase: PASSPHRASE, kdf: { N }, force: true });
        createMs.push(performance.now() - t);
        t = performance.now();
        const { secret } = await openKeyFile(path, PASSPHRASE);
        openMs.push(performance.now() - t);
        secret.fill(0);
        peakRssMiB = Math.max(peakRssMiB, process.memoryUsage().rss / 2 ** 20);
        t = performance.now();
        scryptSync(PASSPHRASE, 'salt', 32, { N, r: 8, p: 1, maxmem: 2 ** 30 });
        nodeMs.push(performance.now() - t);
      }
      console.log(
        `scrypt N=2^${logN} r=8 p=1 (${(128 * N * 8) / 2 ** 20} MiB): create ${median(createMs).toFixed(0)} ms, ` +
          `open ${median(openMs).toFixed(0)} ms (median of ${ROUNDS}); node:crypto scrypt alone ` +
          `${median(nodeMs).toFixed(0)} ms; peak RSS ${peakRssMiB.toFixed(0)} MiB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
