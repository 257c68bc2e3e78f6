/** The page shown when the store cannot be read for a request (the central store gone away): a banner, no crash. */
import { html, type SafeHtml } from '../html.js';
import { page, type Frame } from './layout.js';

export function unavailablePage(message: string, frame: Frame): SafeHtml {
  return page(
    'Store unreachable',
    'none',
    frame,
    html`<p class="banner" role="alert"><strong>Store unreachable.</strong> ${message}</p>
      <p>
        The page could not be read just now. Reload it once the store is back; the
        <a href="/">line view</a> updates by itself.
      </p>`,
  );
}
