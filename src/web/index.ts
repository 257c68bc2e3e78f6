/**
 * The web console: a read-only view of an evidence store for the line (live) and for compliance staff (batches,
 * devices, downloads), served over HTTP on loopback, or elsewhere with an access token.
 *
 * @example
 * import { openSqliteSource, startConsoleServer } from '../web/index.js';
 * const server = await startConsoleServer({ source: openSqliteSource('line1.db'), listen: '127.0.0.1:8080' });
 */
export { checkConsoleAccess, startConsoleServer } from './console-server.js';
export type { ConsoleServer, ConsoleServerOptions } from './console-server.js';
export { openSqliteSource } from './sqlite-source.js';
export { openCentralSource } from './central-source.js';
export type { CentralSourceOptions } from './central-source.js';
export type { ConsoleSource } from './console-source.js';
export { DEFAULT_LISTEN } from './listen-address.js';
