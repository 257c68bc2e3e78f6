/**
 * Child process: builds one evidence pack zip (evidence verify, the batch's export, the statement) and sends its
 * bytes to the console server, so that a large pack takes neither the server's event loop nor its memory.
 */
import { evidencePackZip } from './pack-download.js';

export type PackReply = { zip: Uint8Array } | { error: string; exitCode?: number };

const [file, batchId] = process.argv.slice(2) as [string, string];
let reply: PackReply;
try {
  reply = { zip: await evidencePackZip(file, batchId) };
} catch (error) {
  reply = {
    error: error instanceof Error ? error.message : String(error),
    exitCode: (error as { exitCode?: number }).exitCode,
  };
}
process.send?.(reply, () => process.disconnect());
