/**
 * Text from outside (a device's reply, a supplier's file) as it may reach a terminal, a log or a report: every
 * character outside printable ASCII 0x20–0x7E as `\xNN` (its UTF-16 code unit in hex), so no escape sequence
 * (`ESC[2J`, an OSC title) is ever written raw; at most `max` characters, then `…`.
 *
 * @example printable('AB\x1b[2J') // 'AB\\x1b[2J'
 */
export function printable(text: string, max = 120): string {
  const shown = text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
