/**
 * Connecting to the central store. The URL is libpq-style (`postgresql://user@host:port/db?sslmode=verify-full&
 * sslrootcert=ca.pem`); its TLS options pass through to node-postgres with libpq's meanings. A password never
 * travels in argv: a URL given on the command line that carries one is refused, and the password comes from
 * PGPASSWORD or the password file (PGPASSFILE, ~/.pgpass), or the whole URL from an environment variable
 * (`--central-env VAR`). Nothing printed ever shows the password: `describeCentral` drops it.
 */
import pg from 'pg';
import pgpass from 'pgpass';
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';

export interface CentralTarget {
  /** The connection URL (may carry a password only when it came from the environment). */
  url: string;
  /** Where it came from, for messages: `--central` or `$VAR`. */
  source: string;
}

/** Where a command's central URL comes from: `--central URL` or `--central-env VAR`, exactly one. */
export function centralTarget(
  options: { central?: string | undefined; centralEnv?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): CentralTarget {
  if (options.central !== undefined && options.centralEnv !== undefined)
    throw usageError('CENTRAL_URL', 'give --central URL or --central-env VAR, not both');
  if (options.centralEnv !== undefined) {
    const url = env[options.centralEnv];
    if (!url) throw usageError('CENTRAL_URL', `--central-env ${options.centralEnv}: the variable is not set`);
    return { url: checkUrl(url, `$${options.centralEnv}`), source: `$${options.centralEnv}` };
  }
  if (options.central === undefined)
    throw usageError('CENTRAL_URL', 'give --central URL or --central-env VAR');
  const url = checkUrl(options.central, '--central');
  if (new URL(url).password !== '')
    throw usageError(
      'CENTRAL_PASSWORD_IN_ARGV',
      '--central: the URL carries a password, which would be visible to every process on this machine; ' +
        'leave it out and set PGPASSWORD or a password file (PGPASSFILE), or pass the URL in an ' +
        'environment variable with --central-env VAR',
    );
  return { url, source: '--central' };
}

function checkUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError('CENTRAL_URL', `${source}: expected a URL like postgresql://user@host:5432/credline`);
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:')
    throw usageError('CENTRAL_URL', `${source}: expected a postgresql:// URL, found ${parsed.protocol}//`);
  return url;
}

/** The target for messages: user, host, port and database, never a password. */
export function describeCentral(target: CentralTarget): string {
  const u = new URL(target.url);
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  return `postgresql://${user}${u.host}${u.pathname}`;
}

/** int8 as a JavaScript number (seqs stay far below 2^53), numeric as a number (real3 fields). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 || oid === 1700) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export type CentralClient = pg.Client;

/** Seconds a connection may take to be ready when neither the URL nor PGCONNECT_TIMEOUT says (libpq waits forever). */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

/**
 * Opens one connection; a refused or unreachable server is a transport error (exit 3). A server that does not
 * answer (a host dropping packets) is given up after `connect_timeout` seconds from the URL, as libpq reads it, or
 * PGCONNECT_TIMEOUT, or DEFAULT_CONNECT_TIMEOUT_S; 0 waits forever.
 */
export async function connectCentral(target: CentralTarget): Promise<CentralClient> {
  const parsed = new URL(target.url);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !parsed.searchParams.has('uselibpqcompat'))
    parsed.searchParams.set('uselibpqcompat', 'true'); // sslmode means what it means to libpq
  const timeoutS = connectTimeoutOf(parsed, target);
  const client = new pg.Client({
    connectionString: parsed.toString(),
    types: TYPES,
    application_name: 'credline',
    connectionTimeoutMillis: timeoutS * 1000,
    ...(parsed.password === '' ? { password: () => passwordFor(parsed) } : {}),
  });
  client.on('error', () => undefined); // a dropped connection surfaces as the failed query's error
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    if (error instanceof Error && error.message === 'timeout expired')
      throw new CredlineError(
        'CENTRAL_UNREACHABLE',
        `${describeCentral(target)}: no answer within ${timeoutS} s (connect_timeout in the URL, or ` +
          'PGCONNECT_TIMEOUT, sets how long to wait)',
        { exitCode: ExitCode.transport, cause: error },
      );
    throw centralError(target, error);
  }
  return client;
}

function connectTimeoutOf(url: URL, target: CentralTarget): number {
  const given = url.searchParams.get('connect_timeout') ?? process.env['PGCONNECT_TIMEOUT'];
  if (given === undefined || given === null) return DEFAULT_CONNECT_TIMEOUT_S;
  const seconds = Number(given);
  if (!/^\d+$/.test(given.trim()) || !Number.isSafeInteger(seconds))
    throw usageError(
      'CENTRAL_URL',
      `${target.source}: connect_timeout expected a whole number of seconds, found ${JSON.stringify(given)}`,
    );
  return seconds;
}

async function passwordFor(url: URL): Promise<string> {
  const fromEnv = process.env['PGPASSWORD'];
  if (fromEnv) return fromEnv;
  return new Promise((resolve) =>
    pgpass(
      {
        host: url.hostname || 'localhost',
        port: url.port || '5432',
        database: decodeURIComponent(url.pathname.slice(1)),
        user: decodeURIComponent(url.username),
      },
      (password) => resolve(password ?? ''),
    ),
  );
}

/** SQLSTATEs of credline's own refusals (migrations.ts). */
export const REFUSED = 'CL001';
export const APPEND_ONLY = 'CL002';

/**
 * A pg or network error as a CredlineError: unreachable → exit 3; authentication and privilege → exit 2;
 * credline's refusals → exit 1; anything else from the server → exit 3 with its message.
 */
export function centralError(target: CentralTarget, error: unknown): CredlineError {
  if (error instanceof CredlineError) return error;
  const where = describeCentral(target);
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === '28P01' || code === '28000')
    return usageError('CENTRAL_AUTH', `${where}: authentication failed (${message})`, error);
  if (code === '42501') return usageError('CENTRAL_PRIVILEGE', `${where}: ${message}`, error);
  if (code === '3D000') return usageError('CENTRAL_NO_DATABASE', `${where}: ${message}`, error);
  if (code === REFUSED || code === APPEND_ONLY)
    return new CredlineError('CENTRAL_REFUSED', `${where}: ${message}`, {
      exitCode: ExitCode.failed,
      cause: error,
    });
  return new CredlineError('CENTRAL_UNREACHABLE', `${where}: ${message}`, {
    exitCode: ExitCode.transport,
    cause: error,
  });
}
