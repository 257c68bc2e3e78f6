/**
 * The label output of a provisioning run: the one place a plaintext password leaves credline. Formats: `jsonl`
 * (one JSON record per unit, provisioning/LABELS.md) and `zpl` (a Zebra ZPL II label per unit). Targets: a file
 * (0600), a named pipe, a printer's device file (zpl), or a printer's raw TCP port `tcp://HOST:9100` (zpl).
 */
import { usageError } from '../errors/credline-error.js';
import { openFileSink, type LabelSink } from './file-sink.js';
import { labelQrPayload, type LabelRecord } from './label-record.js';
import { openTcpPrinter, parseTcpTarget } from './tcp-printer.js';
import { DEFAULT_ZPL_LAYOUT, renderZplLabel, type ZplLayout } from './zpl-label.js';

export type LabelFormat = 'jsonl' | 'zpl';
export const LABEL_FORMATS: readonly LabelFormat[] = ['jsonl', 'zpl'];

export interface LabelOutput {
  /** Resolves once the label is out (written, or accepted by the printer); a CredlineError (exit 3) otherwise. */
  write(record: LabelRecord): Promise<void>;
  close(): void;
}

export interface LabelOutputOptions {
  format?: LabelFormat;
  /** ZPL only: resolution and label size (default 203 dpi, 50 × 25 mm). */
  layout?: ZplLayout;
  onWaitForReader?: (path: string) => void;
  /** The run's line key is a test key: every label says so (`"testKey":true`; on a ZPL label, a line of text). */
  testKey?: boolean;
  /** The wall clock for `printedAt` (tests pin it). */
  now?: () => Date;
}

/**
 * @example const labels = openLabelOutput('tcp://10.0.0.7:9100', { format: 'zpl' }); await labels.write({ serial, password });
 */
export function openLabelOutput(target: string, options: LabelOutputOptions = {}): LabelOutput {
  const format = options.format ?? 'jsonl';
  const tcp = parseTcpTarget(target);
  if (tcp && format !== 'zpl')
    throw usageError('LABELS_TARGET', `--labels ${target}: a printer's TCP port takes --label-format zpl`);
  const sink: LabelSink = tcp
    ? openTcpPrinter(tcp)
    : openFileSink(target, {
        allowDevice: format === 'zpl',
        ...(options.onWaitForReader ? { onWaitForReader: options.onWaitForReader } : {}),
      });
  const now = options.now ?? (() => new Date());
  const layout = options.layout ?? DEFAULT_ZPL_LAYOUT;
  const testKey = options.testKey === true;
  return {
    write: (record) =>
      sink.send(
        format === 'zpl' ? renderZplLabel(record, layout, testKey) : jsonLabelLine(record, now(), testKey),
      ),
    close: () => sink.close(),
  };
}

/**
 * One provisioning/LABELS.md record: `{"v":1,"serial":…,"password":…,"qr":…,"printedAt":…}` (and `"testKey":true`
 * under a test key) and a newline.
 */
export function jsonLabelLine(record: LabelRecord, printedAt: Date, testKey = false): string {
  return `${JSON.stringify({ v: 1, serial: record.serial, password: record.password, qr: labelQrPayload(record), printedAt: printedAt.toISOString(), ...(testKey ? { testKey: true } : {}) })}\n`;
}
