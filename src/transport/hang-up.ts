/**
 * A hung-up serial line reads as end of file (0 bytes): a pty whose other end has gone, or an unplugged USB adapter
 * once the kernel has hung its tty up. node-serialport's Unix binding (@serialport/bindings-cpp 13, `unixRead`)
 * then reads again at once, forever: the process spins at full CPU with growing memory, and the port is never
 * reported lost (serialport/bindings-cpp#162, open). Here a 0-byte read fails instead, which the stream reports as
 * a disconnect (its `close` event), as it does a read error.
 */
import type { EventEmitter } from 'node:events';
import { read } from 'node:fs';
import { promisify } from 'node:util';
import type { SerialPort } from 'serialport';

const readAsync = promisify(read);
const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

interface UnixPortBinding {
  isOpen: boolean;
  fd: number | null;
  poller: EventEmitter;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
}

/** Makes an open port's reads end at a hang-up (Unix bindings; others are left as they are). */
export function endReadsAtHangUp(port: SerialPort): void {
  const binding = port.port as unknown as Partial<UnixPortBinding> | undefined;
  if (!binding || typeof binding.fd !== 'number' || !binding.poller) return;
  const unix = binding as UnixPortBinding;
  const notOpen = (): Error => Object.assign(new Error('Port is not open'), { canceled: true });
  unix.read = async (buffer, offset, length) => {
    for (;;) {
      if (!unix.isOpen || unix.fd === null) throw notOpen();
      try {
        const { bytesRead } = await readAsync(unix.fd, buffer, offset, length, null);
        if (bytesRead > 0) return { buffer, bytesRead };
        throw Object.assign(new Error('end of file: the line was hung up'), { code: 'EIO' });
      } catch (error) {
        if (!RETRY.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        if (!unix.isOpen) throw notOpen();
        await new Promise<void>((resolve, reject) =>
          unix.poller.once('readable', (err?: Error | null) => (err ? reject(err) : resolve())),
        );
      }
    }
  };
}
