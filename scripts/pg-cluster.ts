/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary directory, the server on its own
 * loopback port and its own unix-socket directory, stopped and removed afterwards. initdb refuses to run as root, so
 * when this process is root the cluster belongs to the `postgres` system user and every server command runs through
 * `runuser -u postgres --`. The superuser (`credline_admin`) authenticates by password over TCP
 * (scram-sha-256) and by trust over the private socket.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env['CREDLINE_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
export const ADMIN_USER = 'credline_admin';

export function havePostgres(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
}

export interface PgCluster {
  port: number;
  /** The superuser's password (the test fixture's; give it to clients through PGPASSWORD, never argv). */
  adminPassword: string;
  /** `postgresql://credline_admin@127.0.0.1:PORT/DB`: no password in it. */
  url(database?: string, user?: string): string;
  /** Stops the server (`fast`: clients are disconnected, in-flight transactions roll back). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Runs SQL as the superuser over the private socket (psql), returns its output. */
  psql(sql: string, database?: string): string;
  /** Stops the server and removes every file of the cluster. */
  destroy(): void;
  /** CPU seconds the server's processes have used so far (live ones, and the exited ones the postmaster reaped). */
  serverCpuSeconds(): number;
}

export interface PgClusterOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

/** Creates and starts a cluster. Throws when the PostgreSQL binaries are missing (check havePostgres first). */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const root = mkdtempSync(join(tmpdir(), 'credline-pg-'));
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? postgresUser() : undefined;
  if (owner) chownSync(root, owner.uid, owner.gid);
  chmodSync(root, 0o700);
  const data = join(root, 'data');
  const sockets = join(root, 'sockets');
  const pwfile = join(root, 'pwfile');
  const adminPassword = 'test-only-admin-password';
  run(['mkdir', '-p', sockets]);
  writeFileSync(pwfile, `${adminPassword}\n`, { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  run([
    join(PG_BIN, 'initdb'),
    '-D',
    data,
    '-U',
    ADMIN_USER,
    '--pwfile',
    pwfile,
    '-E',
    'UTF8',
    '--locale',
    'C',
    '--auth-local',
    'trust',
    '--auth-host',
    'scram-sha-256',
  ]);
  rmSync(pwfile);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: sockets,
    max_connections: '40',
    ...options.settings,
  };
  const serverOptions = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const log = join(root, 'server.log');

  function run(argv: string[]): string {
    const full = owner ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
    const result = spawnSync(full[0] as string, full.slice(1), { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${argv[0]} failed (${result.status}): ${result.stderr || result.stdout}`);
    return result.stdout;
  }

  const cluster: PgCluster = {
    port,
    adminPassword,
    url: (database = 'postgres', user = ADMIN_USER) => `postgresql://${user}@127.0.0.1:${port}/${database}`,
    start: () =>
      void run([join(PG_BIN, 'pg_ctl'), '-D', data, '-l', log, '-o', serverOptions, '-w', 'start']),
    stop: (mode = 'fast') => void run([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', mode, '-w', 'stop']),
    psql: (sql, database = 'postgres') =>
      run([
        join(PG_BIN, 'psql'),
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        sockets,
        '-p',
        String(port),
        '-U',
        ADMIN_USER,
        '-d',
        database,
        '-c',
        sql,
      ]),
    serverCpuSeconds: () => {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const ticks = (pid: number, withChildren: boolean): number => {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        const at = (i: number): number => Number(fields[i - 3] ?? 0); // fields counted from 1, pid and comm cut
        return at(14) + at(15) + (withChildren ? at(16) + at(17) : 0);
      };
      let total = ticks(postmaster, true);
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          if (Number(stat.split(') ')[1]?.split(' ')[1]) === postmaster) total += ticks(Number(entry), false);
        } catch {
          // exited meanwhile
        }
      }
      return total / 100;
    },
    destroy: () => {
      try {
        cluster.stop('immediate');
      } catch {
        // not running
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
