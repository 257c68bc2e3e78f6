/**
 * The run's line key, from a sealed key file (its header read before anything is asked, the passphrase asked when it
 * is opened) or a PKCS#11 token (the PIN asked when it is opened; the key never leaves the token). Either way the
 * station holds a LineKeyHandle, refuses a test key unless allowed, and closes the handle at the end of the run.
 */
import { usageError } from '../errors/credline-error.js';
import {
  fileLineKeyHandle,
  testKeyReason,
  type KeyFileHeader,
  type LineKeyHandle,
  type OpenedKey,
} from '../keys/index.js';

/** A key file to be unsealed: what its file says before it is opened, and how to open it (the passphrase prompt). */
export interface KeySource {
  path: string;
  /** The public header as read before opening (authenticated only once opened: checked again then). */
  header: KeyFileHeader;
  /** Unseals the key; the run zeroes the secret when it ends. */
  open(): Promise<OpenedKey>;
}

/** The line key of a run: a sealed file, or a key in a PKCS#11 token (`uri`, opened with its PIN when the run asks). */
export type LineKeySource =
  | { file: KeySource }
  | {
      token: {
        /** The RFC 7512 URI as given (no PIN in it), for messages. */
        uri: string;
        /** Recorded with the key id in the store (the key object's label). */
        label: string;
        open(): Promise<LineKeyHandle>;
      };
    };

/** An opened line key: the handle the station derives with, its label, and why it is a test key (when it is one). */
export interface RunLineKey {
  handle: LineKeyHandle;
  label: string;
  testKey?: string;
}

/** Where the key is, for messages: the file or the URI. */
export function lineKeyWhere(source: LineKeySource): string {
  return 'file' in source ? source.file.path : source.token.uri;
}

/** What can be refused before the key is opened: a key file of another kind, a test key without the flag. */
export function checkLineKeySource(source: LineKeySource, allowTestKey: boolean | undefined): void {
  if (!('file' in source)) return;
  assertKind(source.file.header, source.file.path, 'line', '--key');
  checkTestKey(source.file.header, source.file.path, allowTestKey);
}

/**
 * Opens the line key: unseals a file (its authenticated header checked again) or logs in to the token (the key id
 * computed there). A token key that is the published test-vector key is refused like its file twin.
 */
export async function openLineKeySource(
  source: LineKeySource,
  allowTestKey: boolean | undefined,
): Promise<RunLineKey> {
  if ('file' in source) {
    const opened = await source.file.open();
    try {
      assertKind(opened.header, source.file.path, 'line', '--key');
      const testKey = checkTestKey(opened.header, source.file.path, allowTestKey);
      const handle = fileLineKeyHandle(opened.secret, source.file.path);
      return { handle, label: opened.header.label, ...(testKey === undefined ? {} : { testKey }) };
    } catch (error) {
      opened.secret.fill(0);
      throw error;
    }
  }
  const handle = await source.token.open();
  try {
    const testKey = checkTestKey({ keyId: handle.keyId }, source.token.uri, allowTestKey);
    return { handle, label: source.token.label, ...(testKey === undefined ? {} : { testKey }) };
  } catch (error) {
    handle.close();
    throw error;
  }
}

/**
 * Refuses the published test-vector key and keys marked demo unless allowed; returns why the key is a test key
 * (undefined for a production key).
 */
function checkTestKey(
  header: Pick<KeyFileHeader, 'keyId' | 'demo'>,
  where: string,
  allowed: boolean | undefined,
): string | undefined {
  const reason = testKeyReason(header);
  if (reason !== undefined && !allowed) {
    throw usageError(
      'TEST_KEY',
      `${where}: ${reason}; provision refuses it for real units (tests and demos give --allow-test-key, and every ` +
        'record of the run then says so)',
    );
  }
  return reason;
}

export function assertKind(
  header: KeyFileHeader,
  path: string,
  kind: KeyFileHeader['kind'],
  option: string,
): void {
  if (header.kind !== kind)
    throw usageError('KEY_KIND', `${path} is a ${header.kind} key; ${option} needs a ${kind} key`);
}
