/** What a unit's label carries, and the QR payload printed on it (the same in every label format). */

export interface LabelRecord {
  serial: string;
  password: string;
}

/**
 * The QR payload printed on the label (escaping `\`, `;`, `:`, `,` and `"` as in Wi-Fi QR payloads).
 *
 * @example labelQrPayload({ serial: 'KL2301-100001', password: 'wNADKmUL9yu5' }) // 'CREDLINE:1;S:KL2301-100001;P:wNADKmUL9yu5;;'
 */
export function labelQrPayload(record: LabelRecord): string {
  const esc = (s: string): string => s.replace(/([\\;:,"])/g, '\\$1');
  return `CREDLINE:1;S:${esc(record.serial)};P:${esc(record.password)};;`;
}
