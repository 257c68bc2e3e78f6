/**
 * The station's label output: the one place a plaintext password leaves credline. A thin seam over src/labels,
 * which renders (JSON lines, provisioning/LABELS.md, or Zebra ZPL) and delivers (a 0600 file, a named pipe, a
 * printer's device file or its raw TCP port). `write` resolves once the label is out; a unit is PASS only then.
 */
import { openLabelOutput, refuseStdout, type LabelOutput, type LabelOutputOptions } from '../labels/index.js';

export { labelQrPayload, type LabelRecord } from '../labels/index.js';

/** Refuses stdout and stderr as the label output (labels carry passwords): checked before anything is opened. */
export const assertLabelPath = refuseStdout;

export type LabelWriter = LabelOutput;

/**
 * Opens the label output. Refuses stdout/stderr and an existing regular file readable by others. Opening a named
 * pipe waits until the printer side opens it (`onWaitForReader` is told first).
 *
 * @example const labels = openLabelWriter('tcp://10.0.0.7:9100', { format: 'zpl' });
 */
export function openLabelWriter(
  target: string,
  options: Pick<LabelOutputOptions, 'onWaitForReader' | 'format' | 'layout' | 'testKey'> = {},
): LabelWriter {
  return openLabelOutput(target, options);
}
