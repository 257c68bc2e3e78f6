/** The page frame: one stylesheet and one script, both served by the console itself (no inline code, no CDN). */
import { html, type SafeHtml } from '../html.js';

export type Section = 'line' | 'batches' | 'conflicts' | 'devices' | 'none';

/** What every page's frame names: the store, and whether it is a fleet's (a central store several stations push to). */
export interface Frame {
  name: string;
  fleet?: boolean;
}

export function page(title: string, section: Section, frame: Frame, body: SafeHtml): SafeHtml {
  const link = (href: string, name: Section, label: string): SafeHtml =>
    html`<a href="${href}" ${name === section ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · credline</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer></script>
      </head>
      <body>
        <header class="top">
          <span class="brand">credline</span>
          <nav>
            ${link('/', 'line', 'Line')}${link('/batches', 'batches', 'Batches')}${frame.fleet ? link('/conflicts', 'conflicts', 'Conflicts') : ''}${link('/devices', 'devices', 'Device search')}
          </nav>
          <span class="store" title="evidence store">${frame.name}</span>
        </header>
        <main>${body}</main>
      </body>
    </html> `;
}
