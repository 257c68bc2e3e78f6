/**
 * A label printer on a raw TCP port (`tcp://HOST:9100`, Zebra's and most label printers' "raw" or JetDirect port).
 * Each label is one connection: the ZPL, then `~HS` (host status), then our half of the connection is closed. The
 * label counts as delivered only when the printer closes its half cleanly; if it answered `~HS`, the answer must
 * also show nothing that stops printing (paper or ribbon out, head open, paused, …). Printers that do not answer
 * `~HS` are judged by the clean close alone.
 */
import { connect } from 'node:net';
import { CredlineError, usageError } from '../errors/credline-error.js';
import { parseHostStatus } from './printer-status.js';
import type { LabelSink } from './file-sink.js';

export interface TcpTarget {
  host: string;
  port: number;
}

/** `tcp://HOST:PORT` (port default 9100; IPv6 hosts in brackets) → host and port; undefined for other targets. */
export function parseTcpTarget(target: string): TcpTarget | undefined {
  if (!target.startsWith('tcp://')) return undefined;
  const m = /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(target);
  const port = Number(m?.[2] ?? 9100);
  if (!m?.[1] || port < 1 || port > 65535)
    throw usageError(
      'LABELS_TARGET',
      `--labels ${target}: expected tcp://HOST:PORT (e.g. tcp://10.0.0.7:9100)`,
    );
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * A sink that sends each label over its own connection and waits for the printer's clean close.
 *
 * @example const printer = openTcpPrinter({ host: '10.0.0.7', port: 9100 }); await printer.send(zpl);
 */
export function openTcpPrinter(target: TcpTarget, options: { timeoutMs?: number } = {}): LabelSink {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const where = `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const failure = (text: string, cause?: unknown): CredlineError =>
    new CredlineError('LABELS_WRITE', `label printer ${where}: ${text}`, { exitCode: 3, cause });
  return {
    send(bytes) {
      return new Promise<void>((resolve, reject) => {
        const socket = connect({ host: target.host, port: target.port });
        let reply = '';
        let failed: CredlineError | undefined;
        const timer = setTimeout(() => {
          failed = failure(`no clean close within ${timeoutMs} ms after the label`);
          socket.destroy();
        }, timeoutMs);
        socket.setEncoding('latin1');
        socket.on('connect', () => {
          socket.write(bytes, 'utf8');
          socket.end('~HS');
        });
        socket.on('data', (chunk: string) => (reply += chunk));
        socket.on('error', (error: NodeJS.ErrnoException) => {
          failed ??= failure(error.code ?? error.message, error);
        });
        socket.on('close', () => {
          clearTimeout(timer);
          if (failed) return reject(failed);
          if (reply.length === 0) return resolve();
          const status = parseHostStatus(reply);
          if (status.ok) resolve();
          else reject(failure(`the printer reports ${status.problems.join(', ')}`));
        });
      });
    },
    close() {},
  };
}
