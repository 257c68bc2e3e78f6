/**
 * `npm run bench -- token`: passwords/s with the line key in a PKCS#11 token (SoftHSM2, in a temporary directory)
 * against the same key in memory, through the library (one session, one thread) and `credline derive
 * --serials-file` (one session per worker thread). Every HMAC under K is one C_SignInit + C_Sign round trip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNAMBIGUOUS56, createPasswordDeriver } from '../src/derive/index.js';
import { createTokenLineKey, openTokenLineKey } from '../src/keys/index.js';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = 'bench-pin';
const LIBRARY_SERIALS = 100_000;
const CLI_SERIALS = 200_000;
const root = fileURLToPath(new URL('../../', import.meta.url));

function rate(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-GB')}/s`;
}

export async function run(): Promise<void> {
  if (!existsSync(MODULE)) {
    console.log(`skipped: ${MODULE} is missing (apt-get install softhsm2)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'credline-bench-token-'));
  try {
    mkdirSync(join(dir, 'tokens'));
    const conf = join(dir, 'softhsm2.conf');
    writeFileSync(
      conf,
      `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    );
    process.env['SOFTHSM2_CONF'] = conf;
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', 'bench', '--pin', PIN, '--so-pin', PIN],
      {
        stdio: 'ignore',
      },
    );
    const spec = { modulePath: MODULE, uri: 'pkcs11:token=bench;object=line-key', pin: PIN };
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
    await createTokenLineKey(spec, Uint8Array.from(secret));
    const token = await openTokenLineKey(spec);
    const params = { profileId: 'acme-cam', alphabet: UNAMBIGUOUS56, length: 12 };
    let macs = 0;
    const counted = { mac: (m: Uint8Array) => (macs++, token.mac(m)) };
    try {
      for (const [what, key] of [
        ['file key (in memory)', secret],
        ['token key (SoftHSM2)', counted],
      ] as const) {
        const derive = createPasswordDeriver(key, params);
        for (let i = 0; i < 2_000; i++) derive(`W${i}`);
        macs = 0;
        const t = performance.now();
        for (let i = 0; i < LIBRARY_SERIALS; i++) derive(`KL2301-${i}`);
        const ms = performance.now() - t;
        const hmacs =
          key === secret
            ? ''
            : `, ${rate(macs, ms)} HMACs (${(macs / LIBRARY_SERIALS).toFixed(2)} per password)`;
        console.log(`library derive, ${what}, one thread: ${rate(LIBRARY_SERIALS, ms)} passwords${hmacs}`);
      }
    } finally {
      token.close();
    }
    const serials = join(dir, 'serials.txt');
    writeFileSync(
      serials,
      Array.from({ length: CLI_SERIALS }, (_, i) => `KL2301-${String(i).padStart(7, '0')}\n`).join(''),
    );
    const fixtures = join(root, 'test/fixtures');
    for (const [what, keyArgs] of [
      [
        'file key',
        [
          '--key',
          join(fixtures, 'test-vector-line-key.ckey'),
          '--passphrase-file',
          join(fixtures, 'test-vector-passphrase.txt'),
        ],
      ],
      ['token key', ['--key', spec.uri, '--pkcs11-module', MODULE, '--pin-env', 'BENCH_PIN']],
    ] as const) {
      const t = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          join(root, 'bin/credline.js'),
          'derive',
          '--no-policy',
          '--profile-id',
          'acme-cam',
          ...keyArgs,
          '--serials-file',
          serials,
          '--out',
          join(dir, 'out.csv'),
          '--force',
        ],
        { encoding: 'utf8', env: { ...process.env, BENCH_PIN: PIN } },
      );
      const ms = performance.now() - t;
      if (r.status !== 0) throw new Error(`credline derive failed: ${r.stderr}`);
      console.log(
        `CLI derive --serials-file --no-policy, ${CLI_SERIALS.toLocaleString('en-GB')} serials, ${what}: ` +
          `${(ms / 1000).toFixed(2)} s wall (${rate(CLI_SERIALS, ms)}, start-up and unseal or login included)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
