/** Device labels: what they carry, how they are rendered (JSON lines, Zebra ZPL) and where they go. */
export { labelQrPayload, type LabelRecord } from './label-record.js';
export {
  LABEL_FORMATS,
  openLabelOutput,
  type LabelFormat,
  type LabelOutput,
  type LabelOutputOptions,
} from './label-output.js';
export { refuseStdout } from './output-path.js';
export { parseHostStatus, type PrinterStatus } from './printer-status.js';
export { DEFAULT_ZPL_LAYOUT, renderZplLabel, type ZplLayout } from './zpl-label.js';
