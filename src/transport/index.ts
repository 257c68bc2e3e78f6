/**
 * Transport: serial ports (node-serialport) as line transports with framing, timeouts and disconnects. Everything
 * outside src/transport enters here.
 *
 * @example
 * import { openSerialTransport } from '../transport/index.js';
 */
export { openSerialTransport } from './serial-port.js';
export { LineTransport } from './line-transport.js';
export type { BytePort, LineEvent } from './line-transport.js';
export { isGarbage } from './line-framer.js';
export { TransportError } from './transport-error.js';
export type { TransportFailure } from './transport-error.js';
