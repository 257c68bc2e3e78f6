/** Small display helpers shared by the pages. */
export function timeOfDay(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

export function dateTime(iso: string | null): string {
  return iso === null ? '–' : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function count(n: number): string {
  return n.toLocaleString('en-GB');
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}

/** Path segment for a URL (a batch id or serial may hold any character). */
export function segment(text: string): string {
  return encodeURIComponent(text);
}
