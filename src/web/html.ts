/**
 * HTML built by one tagged template that escapes every interpolated value, so text a device sent (a serial, a
 * reason) can only ever show as text. Markup is composed by nesting `html` results; `trustedMarkup` marks markup
 * made by credline's own code (the SVG charts, which escape their own labels).
 *
 * @example
 * html`<td>${serial}</td>`; // serial '<script>' renders as &lt;script&gt;
 */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(part: Part): string {
  if (part instanceof SafeHtml) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => (out += render(value) + (strings[i + 1] ?? '')));
  return new SafeHtml(out);
}

/** Markup produced by credline's own renderers (never from input). */
export function trustedMarkup(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
