/** Every batch with its counts, retention and statement, and the chain's verify status. */
import type { BatchSummary, ChainStatus } from '../console-source.js';
import { html, type SafeHtml } from '../html.js';
import { count, dateTime, segment } from './format.js';
import { page } from './layout.js';

export function chainStatusBlock(status: ChainStatus): SafeHtml {
  const state =
    status.ok === null
      ? html`<span class="status status-pending">checking… (reload for the result)</span>`
      : status.ok
        ? html`<span class="status status-ok">✔ VERIFIES</span>`
        : html`<span class="status status-bad">✖ DOES NOT VERIFY</span>`;
  return html`<p class="chain-status">
      Evidence chain: ${state}
      ${status.ok === null ? '' : html` up to record ${count(status.checkedSeq)}`}${status.running && status.ok !== null ? ' (checking newer records…)' : ''}
    </p>
    ${
      status.problems.length > 0
        ? html`<ul class="problems">
            ${status.problems.map((p) => html`<li>${p}</li>`)}
          </ul>`
        : ''
    }`;
}

export function batchesPage(batches: BatchSummary[], status: ChainStatus, source: string): SafeHtml {
  const rows = batches.map(
    (b) =>
      html`<tr>
        <td><a href="/batches/${segment(b.batch.batchId)}">${b.batch.batchId}</a></td>
        <td>${b.batch.productType}</td>
        <td class="num">${count(b.tally.pass)}</td>
        <td class="num">${count(b.tally.fail)}</td>
        <td class="num">${count(b.tally.aborted)}</td>
        <td class="num">${count(b.tally.open)}</td>
        <td>${dateTime(b.firstAt)}</td>
        <td>${dateTime(b.lastAt)}</td>
        <td>
          ${b.statements.length > 0 ? html`issued ${b.statements.at(-1)?.dateOfIssue}` : html`<span class="muted">none</span>`}
        </td>
        <td>${b.batch.retentionUntil}</td>
      </tr>`,
  );
  return page(
    'Batches',
    'batches',
    source,
    html`<h1>Batches</h1>
      ${chainStatusBlock(status)}
      ${
        batches.length === 0
          ? html`<p class="empty">No batch recorded yet.</p>`
          : html`<table class="batches">
              <thead>
                <tr>
                  <th>batch</th>
                  <th>product type</th>
                  <th>PASS</th>
                  <th>FAIL</th>
                  <th>ABORTED</th>
                  <th>open</th>
                  <th>first</th>
                  <th>last</th>
                  <th>statement</th>
                  <th>keep until</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }`,
  );
}
