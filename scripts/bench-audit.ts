/**
 * `npm run bench -- audit`: the policy check's median time per candidate (station hot path), and end-to-end audits
 * of 1,000,000-row CSVs (serial, MAC, password): one credline-derived batch and one CSPRNG batch, each in a fresh
 * process (CSV parse + every rule), with wall time, peak RSS and every rule's status. Set BENCH_AUDIT_ROWS to
 * change the size.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPasswordDeriver, UNAMBIGUOUS56 } from '../src/derive/index.js';
import { createPasswordPolicy } from '../src/policy/index.js';
import { readCsvBatch, runAudit } from '../src/audit/index.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const TEST_KEY = new Uint8Array(32).map((_, i) => i);

function serialOf(i: number): string {
  return `KL2301-${String(1_000_000 + i)}`;
}

function macOf(i: number): string {
  return (0x0012bf000000 + i)
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

async function generate(path: string, rows: number, kind: 'derived' | 'csprng'): Promise<void> {
  const out = createWriteStream(path);
  const derive = createPasswordDeriver(TEST_KEY, {
    profileId: 'acme-cam',
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  const random = (): string => {
    let pw = '';
    while (pw.length < 12)
      for (const b of randomBytes(16)) if (b < 224 && pw.length < 12) pw += UNAMBIGUOUS56[b % 56];
    return pw;
  };
  out.write('serial,mac,password\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const password = kind === 'derived' ? (derive(serialOf(i)).password ?? '') : random();
    chunk += `${serialOf(i)},${macOf(i)},${password}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

async function auditFile(path: string): Promise<void> {
  const start = performance.now();
  const { batch } = await readCsvBatch(path);
  const parsed = performance.now();
  const report = await runAudit(batch, { manufacturer: 'Acme Cameras', model: 'KL-2301' });
  const done = performance.now();
  process.stdout.write(
    JSON.stringify({
      rows: batch.passwords.length,
      parseMs: Math.round(parsed - start),
      auditMs: Math.round(done - parsed),
      totalMs: Math.round(done - start),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      rules: Object.fromEntries(report.rules.map((r) => [r.id, `${r.status} ${r.violations}`])),
      zxcvbnScored: report.scoring.zxcvbnScored,
      timingsMs: report.timingsMs,
    }),
  );
}

function benchPolicy(figures: 'exact' | 'bound'): void {
  const policy = createPasswordPolicy({ manufacturer: 'Acme Cameras', model: 'KL-2301', figures });
  const derive = createPasswordDeriver(TEST_KEY, {
    profileId: 'acme-cam',
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  const load = performance.now();
  policy.check('warm-up-candidate', { serial: 'X' });
  const firstMs = performance.now() - load;
  const times: number[] = [];
  let rejected = 0;
  for (let i = 0; i < 5_000; i++) {
    const serial = serialOf(i);
    const password = derive(serial).password ?? '';
    const t0 = performance.now();
    const verdict = policy.check(password, { serial, mac: macOf(i) });
    times.push(performance.now() - t0);
    if (!verdict.accepted) rejected++;
  }
  times.sort((a, b) => a - b);
  const at = (q: number): string => (times[Math.floor(q * (times.length - 1))] ?? 0).toFixed(3);
  console.log(
    `policy check (figures ${figures === 'exact' ? "zxcvbn's own, as the station records them" : 'a proven bound, as derive uses them'}): ` +
      `median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms over 5000 derived candidates ` +
      `(${rejected} rejected); first call incl. lazy loads ${firstMs.toFixed(0)} ms`,
  );
}

export async function run(): Promise<void> {
  benchPolicy('exact');
  benchPolicy('bound');
  const rows = Number(process.env['BENCH_AUDIT_ROWS'] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-audit-'));
  try {
    for (const kind of ['derived', 'csprng'] as const) {
      const path = join(dir, `${kind}.csv`);
      await generate(path, rows, kind);
      const child = spawnSync(process.execPath, [THIS_FILE, 'audit-file', path], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`audit of ${kind} batch failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout) as Record<string, unknown>;
      console.log(
        `audit ${kind} ${r['rows']} rows: ${r['totalMs']} ms end to end (CSV parse ${r['parseMs']} ms, rules ` +
          `${r['auditMs']} ms), peak RSS ${r['maxRssMB']} MB, zxcvbn on ${r['zxcvbnScored']} rows; ` +
          `rules ${JSON.stringify(r['rules'])}; phases ms ${JSON.stringify(r['timingsMs'])}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === THIS_FILE && process.argv[2] === 'audit-file' && process.argv[3]) {
  await auditFile(process.argv[3]);
}
