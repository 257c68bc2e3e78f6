/** `--listen HOST:PORT`: parsing, and whether the address is loopback (the only kind served without a token). */
import { isIP } from 'node:net';
import { usageError } from '../errors/credline-error.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:8080';

/**
 * Parses `HOST:PORT`, `[IPv6]:PORT` or `localhost:PORT` (port 0 picks a free port).
 *
 * @example parseListenAddress('[::1]:8080'); // { host: '::1', port: 8080 }
 */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || host === undefined || port > 65535 || (host !== 'localhost' && isIP(host) === 0)) {
    throw usageError(
      'WEB_LISTEN',
      `--listen ${JSON.stringify(text)}: expected HOST:PORT with an IP address or localhost, e.g. 127.0.0.1:8080 or [::1]:8080`,
    );
  }
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The address as a URL host (`[::1]` for IPv6). */
export function urlHost(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
