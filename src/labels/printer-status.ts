/**
 * The reply a Zebra printer gives to `~HS` (host status): three `<STX>…<ETX><CR><LF>` strings of comma-separated
 * fields (ZPL II Programming Guide, ~HS). credline reads the flags that mean the label will not come out.
 */

/** String 1 fields (0-based): 1 paper out, 2 pause, 5 buffer full, 9 corrupt RAM, 10 under temperature, 11 over. */
const STRING1_FLAGS: ReadonlyArray<[number, string]> = [
  [1, 'paper out'],
  [2, 'paused'],
  [5, 'receive buffer full'],
  [9, 'RAM corrupt'],
  [10, 'head too cold'],
  [11, 'head too hot'],
];
/** String 2 fields: 2 head up (open), 3 ribbon out. */
const STRING2_FLAGS: ReadonlyArray<[number, string]> = [
  [2, 'head open'],
  [3, 'ribbon out'],
];

/** One `<STX>…<ETX>` string. */
const FRAMED_STRING = new RegExp(String.raw`\x02([^\x02\x03]*)\x03`, 'g');

export type PrinterStatus = { ok: true } | { ok: false; problems: string[] };

/**
 * Judges a `~HS` reply; a reply that is not three framed strings is reported as unreadable.
 *
 * @example parseHostStatus('\x02030,1,0,0200,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n') // { ok: false, problems: ['paper out'] }
 */
export function parseHostStatus(reply: string): PrinterStatus {
  const strings = [...reply.matchAll(FRAMED_STRING)].map((m) => (m[1] ?? '').split(','));
  const [first, second] = strings;
  if (strings.length < 3 || !first || !second || first.length < 12 || second.length < 4) {
    return { ok: false, problems: [`unreadable ~HS reply (${strings.length} of 3 strings)`] };
  }
  const set = (fields: string[], flags: ReadonlyArray<[number, string]>): string[] =>
    flags.filter(([i]) => fields[i]?.trim() === '1').map(([, name]) => name);
  const problems = [...set(first, STRING1_FLAGS), ...set(second, STRING2_FLAGS)];
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
