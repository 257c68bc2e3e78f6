/**
 * A Zebra ZPL II label for one unit: its serial, its password and the QR code of the label payload, laid out for a
 * label of the given size and printer resolution (default 50 × 25 mm at 203 dpi: 400 × 200 dots). Field data is
 * written with `^FH` hex escapes (`_5E` for `^`) for every byte outside letters, digits, space, `.` and `-`, so no
 * password or serial can end a field or start a command; `^CI28` makes the bytes UTF-8.
 */
import QRCode from 'qrcode';
import { labelQrPayload, type LabelRecord } from './label-record.js';

export interface ZplLayout {
  /** Printer resolution in dots per inch (203, 300, 600 are Zebra's). */
  dpi: number;
  widthMm: number;
  heightMm: number;
}

export const DEFAULT_ZPL_LAYOUT: ZplLayout = { dpi: 203, widthMm: 50, heightMm: 25 };

/** Largest QR magnification ZPL's ^BQ takes. */
const MAX_QR_MAGNIFICATION = 10;

/**
 * The ZPL for one label (`^XA … ^XZ`).
 *
 * @example renderZplLabel({ serial: 'KL2301-100001', password: 'wNADKmUL9yu5' }) // '^XA\n^CI28\n^PW400\n…^XZ\n'
 * A unit provisioned under a test key (`testKey`) gets a line "TEST KEY - DO NOT SHIP".
 */
export function renderZplLabel(
  record: LabelRecord,
  layout: ZplLayout = DEFAULT_ZPL_LAYOUT,
  testKey = false,
): string {
  const dots = (mm: number): number => Math.round((mm * layout.dpi) / 25.4);
  const width = dots(layout.widthMm);
  const height = dots(layout.heightMm);
  const margin = dots(1.5);
  const payload = labelQrPayload(record);
  // Sized for byte mode, the largest encoding, so the printer's own choice of mode always fits.
  const modules = QRCode.create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  }).modules.size;
  const magnification = Math.max(
    1,
    Math.min(MAX_QR_MAGNIFICATION, Math.floor((height - 2 * margin) / modules)),
  );
  const qrSide = modules * magnification;
  const textX = margin + qrSide + margin;
  const textWidth = Math.max(width - textX - margin, dots(10));
  const small = dots(2.5);
  const large = dots(3.5);
  return [
    '^XA',
    '^CI28',
    `^PW${width}`,
    `^LL${height}`,
    '^LH0,0',
    `^FO${margin},${Math.max(0, Math.round((height - qrSide) / 2))}^BQN,2,${magnification}^FH_^FDMA,${zplHex(payload)}^FS`,
    `^FO${textX},${margin}^A0N,${small},${small}^FB${textWidth},2,0,L^FH_^FDS/N ${zplHex(record.serial)}^FS`,
    `^FO${textX},${margin + 2 * small + dots(1.5)}^A0N,${small},${small}^FDPassword^FS`,
    `^FO${textX},${margin + 3 * small + dots(2)}^A0N,${large},${large}^FB${textWidth},2,0,L^FH_^FD${zplHex(record.password)}^FS`,
    // A unit provisioned under a test key must never ship: its label says so.
    ...(testKey
      ? [`^FO${textX},${height - margin - small}^A0N,${small},${small}^FDTEST KEY - DO NOT SHIP^FS`]
      : []),
    '^PQ1',
    '^XZ',
    '',
  ].join('\n');
}

/** Field data for `^FH_`: letters, digits, space, `.` and `-` as they are, every other UTF-8 byte as `_HH`. */
export function zplHex(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9 .-]/.test(ch) ? ch : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
