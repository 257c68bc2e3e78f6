/** Every batch with its counts, retention and statement, and the chain's verify status. */
import type { BatchSummary, ChainStatus } from '../console-source.js';
import { html, type SafeHtml } from '../html.js';
import { count, dateTime, segment } from './format.js';
import { page, type Frame } from './layout.js';

export function chainStatusBlock(status: ChainStatus): SafeHtml {
  const state =
    status.ok === null
      ? html`<span class="status status-pending">checking… (reload for the result)</span>`
      : status.ok
        ? html`<span class="status status-ok">✔ VERIFIES</span>`
        : html`<span class="status status-bad">✖ DOES NOT VERIFY</span>`;
  const fleet = status.stations !== undefined;
  const upTo = status.ok === null || fleet ? '' : html` up to record ${count(status.checkedSeq)}`;
  return html`<p class="chain-status">
      ${fleet ? 'Evidence chains (every station, and the compliance chain):' : 'Evidence chain:'} ${state}
      ${upTo}${status.running && status.ok !== null ? ' (checking newer records…)' : ''}
    </p>
    ${
      status.stations && status.stations.length > 0
        ? html`<ul class="station-status">
            ${status.stations.map(
              (st) =>
                html`<li data-station="${st.stationId}">
                  <span class="station">${st.stationId}</span>:
                  ${st.ok === null ? 'checking…' : st.ok ? html`<span class="status status-ok">✔ verifies</span>` : html`<span class="status status-bad">✖ does not verify</span>`}
                  up to record ${count(st.checkedSeq)}
                </li>`,
            )}
          </ul>`
        : ''
    }
    ${
      status.problems.length > 0
        ? html`<ul class="problems">
            ${status.problems.map((p) => html`<li>${p}</li>`)}
          </ul>`
        : ''
    }`;
}

/** The stations that made a batch, each with its counts and its chain's verify status. */
export function stationsCell(summary: BatchSummary, status: ChainStatus): SafeHtml {
  return html`<ul class="stations">
    ${(summary.stations ?? []).map((s) => {
      const chain = status.stations?.find((c) => c.stationId === s.stationId);
      const mark =
        chain?.ok === true
          ? html`<span class="status status-ok" title="chain verifies">✔</span>`
          : chain?.ok === false
            ? html`<span class="status status-bad" title="chain does not verify">✖</span>`
            : '';
      const aborted = s.tally.aborted > 0 ? ` · ${count(s.tally.aborted)} ABORTED` : '';
      const counts = `${count(s.tally.pass)} PASS · ${count(s.tally.fail)} FAIL${aborted}`;
      return html`<li data-station="${s.stationId}">
        <span class="station">${s.stationId}</span> ${mark}
        <span class="station-counts">${counts}</span>
      </li>`;
    })}
  </ul>`;
}

export function batchesPage(batches: BatchSummary[], status: ChainStatus, source: Frame): SafeHtml {
  const fleet = source.fleet === true;
  const rows = batches.map(
    (b) =>
      html`<tr>
        <td><a href="/batches/${segment(b.batch.batchId)}">${b.batch.batchId}</a></td>
        <td>${b.batch.productType}</td>
        ${fleet ? html`<td>${stationsCell(b, status)}</td>` : ''}
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
      ${fleet ? html`<p><a href="/conflicts">Conflicts across stations</a>: the same serial PASSed at two stations, or one password given to two serials.</p>` : ''}
      ${
        batches.length === 0
          ? html`<p class="empty">No batch recorded yet.</p>`
          : html`<table class="batches">
              <thead>
                <tr>
                  <th>batch</th>
                  <th>product type</th>
                  ${fleet ? html`<th>stations</th>` : ''}
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
