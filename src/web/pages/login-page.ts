/** The sign-in form of a console that demands a token (any address other than loopback). */
import { html, type SafeHtml } from '../html.js';
import { page } from './layout.js';

export function loginPage(wrongToken: boolean): SafeHtml {
  return page(
    'Sign in',
    'none',
    { name: '' },
    html`<h1>Sign in</h1>
      <p>
        This console needs the access token from the file given to <code>credline serve --token-file</code>.
      </p>
      ${wrongToken ? html`<p class="error" role="alert">That token is not right.</p>` : ''}
      <form class="login" method="post" action="/login">
        <label for="token">Access token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>`,
  );
}
