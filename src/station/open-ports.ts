/**
 * A run's ports, opened before its keys are asked for: a `--port` that does not exist, or that another process
 * holds, is reported at once (exit 3), unless the run may wait for it (`--wait-for-port`), in which case the port
 * worker keeps trying as it does for a port unplugged mid-run.
 */
import { CredlineError, ExitCode } from '../errors/credline-error.js';
import type { SerialPortSettings } from '../profiles/index.js';
import { openSerialTransport, type LineTransport } from '../transport/index.js';

export type OpenTransport = (path: string, settings: SerialPortSettings) => Promise<LineTransport>;

export interface OpenedPorts {
  /** Opens a port for the station: the transport opened up front the first time, a new one after that. */
  open: OpenTransport;
  /** Closes the transports the station never took. */
  close(): Promise<void>;
}

/**
 * @example
 * const ports = await openPorts(['/dev/ttyUSB0'], profile.serialPort, false);
 * startStation({ ..., openTransport: ports.open });
 */
export async function openPorts(
  paths: readonly string[],
  settings: SerialPortSettings,
  waitForPort: boolean,
  open: OpenTransport = openSerialTransport,
): Promise<OpenedPorts> {
  const results = await Promise.allSettled(paths.map((path) => open(path, settings)));
  const ready = new Map<string, LineTransport>();
  const failures: string[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') ready.set(paths[i] as string, result.value);
    else failures.push((result.reason as Error).message);
  });
  const close = async (): Promise<void> => {
    const left = [...ready.values()];
    ready.clear();
    await Promise.all(left.map((t) => t.close().catch(() => undefined)));
  };
  if (failures.length > 0 && !waitForPort) {
    await close();
    throw new CredlineError(
      'PORT_UNAVAILABLE',
      `${failures.join('; ')} (credline ports lists the serial ports; --wait-for-port waits until a port can be opened)`,
      { exitCode: ExitCode.transport },
    );
  }
  return {
    open: async (path, portSettings) => {
      const early = ready.get(path);
      if (!early) return open(path, portSettings);
      ready.delete(path);
      return early;
    },
    close,
  };
}
