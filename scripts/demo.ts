/**
 * `npm run demo`: a whole simulated factory line on this machine. Creates a DEMO line key and station key (never use
 * them for real devices), starts simulated devices on pseudo-terminals (some with injected faults), provisions them
 * in gang mode into a fresh SQLite evidence store, verifies the evidence chain, and prints a summary.
 * Needs socat (pseudo-terminal pairs); says how to install it when missing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEvidenceStore } from '../src/evidence/index.js';
import { createKeyFile } from '../src/keys/index.js';
import { openSqliteSource, startConsoleServer, type ConsoleServer } from '../src/web/index.js';
import { haveSocat, startPtyPair } from './pty-pair.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'bin/credline.js');
const PORTS = 4;
const UNITS_PER_PORT = 5;
const DEMO_PASSPHRASE = 'DEMO ONLY - not a secret - never use for real devices';
// One fault on each port, so the line shows what FAIL looks like: a NAK, a wrong read-back, a flash commit
// failure, and a unit reporting the serial of the unit before it.
const FAULTS = 'nak@1:3,wrong-readback@2:2,commit-fail@3:4,duplicate-serial@4:3';
/** `npm run demo -- --serve`: the web console watches the line (slower units, so there is time to look). */
const SERVE = process.argv.includes('--serve');

function say(text: string): void {
  console.log(`\x1b[1m${text}\x1b[0m`);
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env });
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

async function main(): Promise<number> {
  if (!haveSocat()) {
    console.error(
      'The demo needs socat to create pseudo-terminal pairs (virtual serial cables).\n' +
        '  Debian/Ubuntu:  sudo apt-get install -y socat\n' +
        '  Fedora:         sudo dnf install -y socat\n' +
        '  macOS:          brew install socat\n' +
        'then run npm run demo again.',
    );
    return 1;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(root, 'demo-output', stamp);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const shown = relative(process.cwd(), dir) || '.';
  const lineKey = join(dir, 'DEMO-line-key.ckey');
  const stationKey = join(dir, 'DEMO-station-key.ckey');
  const db = join(dir, 'evidence.db');
  const labels = join(dir, 'labels.jsonl');

  say(
    `1. Creating a DEMO line key and station key in ${shown} (marked DEMO: never use them for real devices)`,
  );
  await createKeyFile(lineKey, {
    kind: 'line',
    passphrase: DEMO_PASSPHRASE,
    label: 'DEMO KEY - NOT FOR PRODUCTION',
    demo: true,
  });
  await createKeyFile(stationKey, {
    kind: 'station',
    passphrase: DEMO_PASSPHRASE,
    label: 'DEMO STATION - NOT FOR PRODUCTION',
  });

  let server: ConsoleServer | undefined;
  if (SERVE) {
    openEvidenceStore(db, { create: true }).close();
    const source = openSqliteSource(db);
    server = await startConsoleServer({ source, listen: '127.0.0.1:8080' }).catch(() =>
      startConsoleServer({ source, listen: '127.0.0.1:0' }),
    );
    say(`   Web console: ${server.url}  (open it now: the line fills in live)`);
  }

  say(
    `2. Starting ${PORTS} simulated fixtures on pseudo-terminals, ${UNITS_PER_PORT} units each (faults: ${FAULTS})`,
  );
  const pairs = await Promise.all(Array.from({ length: PORTS }, () => startPtyPair()));
  const sim = spawn(
    process.execPath,
    [
      cli,
      'sim',
      ...pairs.flatMap((p) => ['--port', p.device]),
      '--devices',
      String(UNITS_PER_PORT),
      '--serial-prefix',
      'DEMO',
      '--fault',
      FAULTS,
      '--latency-ms',
      '5',
      '--commit-ms',
      SERVE ? '1500' : '150',
      '--swap-gap-ms',
      SERVE ? '1500' : '150',
    ],
    { stdio: 'ignore' },
  );
  try {
    say(
      `3. Provisioning in gang mode (${PORTS} ports, ${PORTS * UNITS_PER_PORT} devices) into ${relative(process.cwd(), db)}`,
    );
    const env = { ...process.env, CREDLINE_DEMO_PASSPHRASE: DEMO_PASSPHRASE };
    const provisioned = await run(
      [
        'provision',
        '--profile',
        'credline-agent',
        '--key',
        lineKey,
        '--passphrase-env',
        'CREDLINE_DEMO_PASSPHRASE',
        '--allow-test-key',
        '--station-key',
        stationKey,
        '--station-passphrase-env',
        'CREDLINE_DEMO_PASSPHRASE',
        '--batch',
        'DEMO-BATCH-1',
        '--support-end',
        '2031-12-31',
        '--db',
        db,
        '--station',
        'demo-station',
        '--operator',
        'demo',
        '--labels',
        labels,
        '--count',
        String(PORTS * UNITS_PER_PORT),
        ...pairs.flatMap((p) => ['--port', p.host]),
      ],
      env,
    );

    say('4. Verifying the evidence chain (hash chain, signed checkpoint, append-only triggers)');
    const verified = await run(['evidence', 'verify', '--db', db, '--station-key', stationKey]);

    say(
      '5. Compliance outputs for the batch (with an EXAMPLE product record): statement, evidence pack, notices',
    );
    const product = join(root, 'provisioning/examples/demo-product.json');
    const statementDir = join(dir, 'statement-of-compliance');
    const pack = join(dir, 'evidence-pack-DEMO-BATCH-1.zip');
    const noticesDir = join(dir, 'customer-notices');
    const documents = [
      await run([
        'soc',
        'issue',
        '--db',
        db,
        '--product',
        product,
        '--batch',
        'DEMO-BATCH-1',
        '--signatory',
        'Demo Compliance Officer (example), Head of Product Compliance',
        '--place',
        'Exampleton (example)',
        '--out',
        statementDir,
      ]),
      // The statement's seals in the chain are signed before the pack is built (docs/compliance.md).
      await run(
        [
          'evidence',
          'checkpoint',
          '--db',
          db,
          '--station-key',
          stationKey,
          '--station',
          'demo-station',
          '--reason',
          'statement-issued',
          '--passphrase-env',
          'CREDLINE_DEMO_PASSPHRASE',
        ],
        env,
      ),
      await run(
        [
          'pack',
          '--db',
          db,
          '--batch',
          'DEMO-BATCH-1',
          '--out',
          pack,
          '--key',
          lineKey,
          '--passphrase-env',
          'CREDLINE_DEMO_PASSPHRASE',
        ],
        env,
      ),
      await run(['notice', '--product', product, '--out', noticesDir]),
    ];

    const store = openEvidenceStore(db);
    const stats = store.stats();
    store.close();
    const batch = stats.batches[0];
    say('6. Summary');
    console.log(
      [
        `   evidence:   ${batch?.pass ?? 0} PASS, ${batch?.fail ?? 0} FAIL, ${batch?.aborted ?? 0} ABORTED recorded (every FAIL above is an injected fault;`,
        '               a unit refused before anything was written to it, such as a duplicate serial, is recorded as a refusal)',
        `   store:      ${relative(process.cwd(), db)}: ${stats.events} events, ${stats.rejections} policy rejections, chain head ${stats.head.seq}, ${stats.checkpoints} signed checkpoint(s)`,
        `   chain:      ${verified === 0 ? 'verified' : 'VERIFY FAILED'}`,
        `   labels:     ${relative(process.cwd(), labels)} (0600: the one place a password leaves credline)`,
        `   statement:  ${relative(process.cwd(), statementDir)}/ (Markdown, HTML, PDF, JSON; EXAMPLE product record)`,
        `   pack:       ${relative(process.cwd(), pack)} (manifest, SHA256SUMS, README for auditors)`,
        `   notices:    ${relative(process.cwd(), noticesDir)}/ (support period, security reporting, security.txt)`,
        `   next:       node bin/credline.js evidence list --db ${relative(process.cwd(), db)}`,
        `               node bin/credline.js evidence show DEMO1-000003 --db ${relative(process.cwd(), db)}`,
      ].join('\n'),
    );
    if (server) {
      say(`Serving ${server.url} until Ctrl-C: the batch page has the statement and the evidence pack`);
      await new Promise((stop) => process.once('SIGINT', stop));
      await server.close();
    }
    // provision exits 1 because the injected faults FAIL; the demo succeeded if the chain verified.
    return verified === 0 && provisioned <= 1 && documents.every((code) => code === 0) ? 0 : 1;
  } finally {
    sim.kill('SIGTERM');
    for (const p of pairs) p.child.kill('SIGTERM');
  }
}

process.exitCode = await main();
