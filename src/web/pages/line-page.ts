/**
 * The line view: one tile per port with the unit in hand and its last verdict, the batch's tally and rate, and the
 * last failures. PASS and FAIL differ by word, symbol and tile shape as well as colour. `renderLine` is also what
 * the live feed sends to open pages, so the first paint and every update are the same markup.
 */
import type { LineState, PortState, Verdict } from '../console-source.js';
import { html, type SafeHtml } from '../html.js';
import { count, segment, timeOfDay } from './format.js';
import { page, type Frame } from './layout.js';
import { adviceFor } from '../../reasons/index.js';

function verdictBlock(last: Verdict | null): SafeHtml {
  if (!last) return html`<p class="verdict verdict-none">no verdict yet</p>`;
  if (last.result === 'PASS') {
    return html`<p class="verdict verdict-pass"><span class="mark" aria-hidden="true">✔</span> PASS</p>
      <p class="unit">${last.serial}</p>`;
  }
  return html`<p class="verdict verdict-fail">
      <span class="mark" aria-hidden="true">✖</span> ${last.result}
    </p>
    <p class="unit">${last.serial}</p>
    <p class="reason">
      <code class="reason-code">${last.reasonCode ?? last.result.toLowerCase()}</code> ${last.reasonText}
    </p>
    <p class="advice">${adviceFor(last.reasonCode ?? last.result.toLowerCase())}</p>`;
}

function tile(port: PortState, headline: string | null): SafeHtml {
  const state = port.last?.result === 'PASS' ? 'pass' : port.last ? 'fail' : 'none';
  const inHand = port.inHand
    ? html`<p class="in-hand">
        In hand: <strong class="in-hand-serial">${port.inHand.serial}</strong> · writing since
        ${timeOfDay(port.inHand.since)}
      </p>`
    : html`<p class="in-hand idle">No unit in hand</p>`;
  const name =
    port.station === undefined
      ? port.port
      : html`<span class="station">${port.station}</span> · ${port.port}`;
  const otherBatch =
    port.batchId !== undefined && port.batchId !== null && port.batchId !== headline
      ? html`<p class="tile-batch">batch <a href="/batches/${segment(port.batchId)}">${port.batchId}</a></p>`
      : '';
  return html`<article
    class="tile tile-${state}"
    data-port="${port.port}"
    ${port.station === undefined ? '' : html` data-station="${port.station}"`}
  >
    <h2 class="port">${name}</h2>
    ${otherBatch} ${inHand} ${verdictBlock(port.last)}
    <p class="port-tally">
      ${count(port.tally.pass)} PASS · ${count(port.tally.fail)}
      FAIL${port.tally.aborted > 0 ? ` · ${count(port.tally.aborted)} ABORTED` : ''}
    </p>
  </article>`;
}

export function renderLine(state: LineState): SafeHtml {
  const t = state.tally;
  const fleet = state.ports.some((p) => p.station !== undefined);
  const failures = state.recentFailures.map(
    (f) =>
      html`<tr>
        <td>${timeOfDay(f.at)}</td>
        <td><a href="/devices?serial=${segment(f.serial)}">${f.serial}</a></td>
        ${fleet ? html`<td>${f.station}</td>` : ''}
        <td>${f.port}</td>
        <td><code>${f.reasonCode ?? f.result.toLowerCase()}</code></td>
        <td>${f.reasonText}</td>
      </tr>`,
  );
  const notice = state.notice
    ? html`<p class="banner" role="alert"><strong>Store unreachable.</strong> ${state.notice}</p>`
    : '';
  return html`${notice}
    <div class="line-head">
      <h1>
        ${state.batchId === null ? 'No batch yet' : html`Batch <a href="/batches/${segment(state.batchId)}">${state.batchId}</a>`}
      </h1>
      <p class="tally">
        <span class="tally-pass">${count(t.pass)} PASS</span>
        <span class="tally-fail">${count(t.fail)} FAIL</span>
        ${t.aborted > 0 ? html`<span class="tally-aborted">${count(t.aborted)} ABORTED</span>` : ''}
        <span class="tally-rate">${count(state.devicesPerMinute)} devices/min</span>
      </p>
    </div>
    <div class="tiles">
      ${state.ports.length === 0 ? html`<p class="empty">No unit has been seen yet. Start the station; this page updates by itself.</p>` : state.ports.map((p) => tile(p, state.batchId))}
    </div>
    <section class="failures">
      <h2>Last failures</h2>
      ${
        failures.length === 0
          ? html`<p class="empty">None in this batch.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>time</th>
                  <th>serial</th>
                  ${fleet ? html`<th>station</th>` : ''}
                  <th>port</th>
                  <th>reason</th>
                  <th>detail</th>
                </tr>
              </thead>
              <tbody>
                ${failures}
              </tbody>
            </table>`
      }
    </section>`;
}

export function linePage(state: LineState, source: Frame): SafeHtml {
  return page(
    'Line',
    'line',
    source,
    html`<section id="line" class="line" data-live="/events" aria-live="polite">
      ${renderLine(state)}
    </section>`,
  );
}
