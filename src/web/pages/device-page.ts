/** Device search by serial: the whole history of one serial, or the serials starting with what was typed. */
import type { DeviceHistory } from '../console-source.js';
import { html, type SafeHtml } from '../html.js';
import { dateTime, segment } from './format.js';
import { page, type Frame } from './layout.js';

function searchForm(query: string): SafeHtml {
  return html`<form class="search" method="get" action="/devices" role="search">
    <label for="serial">Serial</label>
    <input id="serial" name="serial" value="${query}" autocomplete="off" spellcheck="false" required />
    <button type="submit">Search</button>
  </form>`;
}

function historyBlock(history: DeviceHistory): SafeHtml {
  const events = history.events.map(
    (e) =>
      html`<tr class="${e.result ? `result-${e.result.toLowerCase()}` : 'intent'}">
        <td>${dateTime(e.recordedAt)}</td>
        <td class="num">${e.seq}</td>
        <td>${e.kind === 'INTENT' ? 'started' : e.result}</td>
        <td><a href="/batches/${segment(e.batchId)}">${e.batchId}</a></td>
        <td>${e.port}</td>
        <td>${e.origin ?? e.stationId}</td>
        <td>${e.operator}</td>
        <td class="num">${e.attempt}</td>
        <td><code>${e.reasonCode}</code> ${e.reasonText}</td>
        <td>${e.reprovisionReason}</td>
      </tr>`,
  );
  const rejections = history.rejections.map(
    (r) =>
      html`<tr>
        <td>${dateTime(r.recordedAt)}</td>
        <td class="num">${r.seq}</td>
        <td class="num">${r.attempt}</td>
        <td><code>${r.rule}</code></td>
        <td>${r.detail}</td>
      </tr>`,
  );
  return html`<h2>History of <span class="serial">${history.serial}</span></h2>
    <table class="history">
      <thead>
        <tr>
          <th>recorded</th>
          <th>record</th>
          <th>what</th>
          <th>batch</th>
          <th>port</th>
          <th>station</th>
          <th>operator</th>
          <th>attempt</th>
          <th>reason</th>
          <th>re-provision reason</th>
        </tr>
      </thead>
      <tbody>
        ${events}
      </tbody>
    </table>
    ${
      rejections.length > 0
        ? html`<h3>Password candidates the policy rejected</h3>
            <table>
              <thead>
                <tr>
                  <th>recorded</th>
                  <th>record</th>
                  <th>attempt</th>
                  <th>rule</th>
                  <th>detail</th>
                </tr>
              </thead>
              <tbody>
                ${rejections}
              </tbody>
            </table>`
        : ''
    }`;
}

export function devicePage(
  query: string,
  history: DeviceHistory | undefined,
  matches: string[],
  source: Frame,
): SafeHtml {
  let body: SafeHtml | string = '';
  if (history && history.events.length > 0) body = historyBlock(history);
  else if (query !== '' && matches.length > 0) {
    body = html`<h2>Serials starting with <span class="serial">${query}</span></h2>
      <ul class="matches">
        ${matches.map((s) => html`<li><a href="/devices?serial=${segment(s)}">${s}</a></li>`)}
      </ul>`;
  } else if (query !== '')
    body = html`<p class="empty">
      No device with a serial starting with <span class="serial">${query}</span>.
    </p>`;
  return page(
    'Device search',
    'devices',
    source,
    html`<h1>Device search</h1>
      ${searchForm(query)}${body}`,
  );
}
