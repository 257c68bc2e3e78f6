/**
 * One batch: its facts and counts, the chain's verify status and signed checkpoints, the statement and retention,
 * the downloads, the charts, and its results a page at a time (newest first).
 */
import type { CheckpointRecord } from '../../evidence/index.js';
import type { BatchFacts, ChainStatus, ResultPage } from '../console-source.js';
import { html, type SafeHtml } from '../html.js';
import { chainStatusBlock, stationsCell } from './batches-page.js';
import { batchCharts } from './charts.js';
import { count, dateTime, percent, segment } from './format.js';
import { page, type Frame } from './layout.js';

export interface BatchView {
  facts: BatchFacts;
  status: ChainStatus;
  checkpoints: CheckpointRecord[];
  results: ResultPage;
  source: Frame;
  /** Why the pack cannot be downloaded here, when it cannot. */
  packUnavailable?: string | undefined;
}

function checkpointsBlock(checkpoints: CheckpointRecord[]): SafeHtml {
  if (checkpoints.length === 0) return html`<p class="muted">No signed checkpoint yet.</p>`;
  const shown = [...checkpoints]
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
    .slice(-5)
    .reverse();
  return html`<p>${count(checkpoints.length)} signed checkpoint(s); the latest:</p>
    <table class="checkpoints">
      <thead>
        <tr>
          <th>signed at</th>
          <th>up to record</th>
          <th>station</th>
          <th>reason</th>
          <th>signer (Ed25519 public key)</th>
        </tr>
      </thead>
      <tbody>
        ${shown.map(
          (c) =>
            html`<tr>
              <td>${dateTime(c.createdAt)}</td>
              <td class="num">${count(c.headSeq)}</td>
              <td>${c.stationId}</td>
              <td>${c.reason}</td>
              <td><code>${c.publicKey.slice(0, 16)}…</code></td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export function batchPage(view: BatchView): SafeHtml {
  const { facts, results } = view;
  // Over several stations, the chains and checkpoints shown are those of the stations that made the batch.
  const made = facts.stations && new Set(facts.stations.map((s) => s.stationId));
  const status: ChainStatus = made
    ? { ...view.status, stations: view.status.stations?.filter((s) => made.has(s.stationId)) }
    : view.status;
  const checkpoints = made ? view.checkpoints.filter((c) => made.has(c.stationId)) : view.checkpoints;
  const b = facts.batch;
  const t = facts.tally;
  const id = segment(b.batchId);
  const statement = facts.statements.at(-1);
  const decided = t.pass + t.fail + t.aborted;
  const fleet = view.source.fleet === true;
  const pack = view.packUnavailable
    ? html`<p class="pack-unavailable">${view.packUnavailable}</p>`
    : t.pass > 0
      ? html`<a class="button" href="/batches/${id}/pack.zip" download>Evidence pack (zip)</a>`
      : '';
  const rows = results.results.map(
    (r) =>
      html`<tr class="result-${r.result.toLowerCase()}">
        <td>${dateTime(r.at)}</td>
        <td><a href="/devices?serial=${segment(r.serial)}">${r.serial}</a></td>
        ${fleet ? html`<td>${r.station}</td>` : ''}
        <td>${r.port}</td>
        <td class="result">${r.result}</td>
        <td><code>${r.reasonCode}</code></td>
        <td>${r.reasonText}</td>
      </tr>`,
  );
  return page(
    `Batch ${b.batchId}`,
    'batches',
    view.source,
    html`<h1>Batch <span class="batch-id">${b.batchId}</span></h1>
      <div class="facts">
        <dl class="counts">
          <div>
            <dt>PASS</dt>
            <dd class="count-pass">${count(t.pass)}</dd>
          </div>
          <div>
            <dt>FAIL</dt>
            <dd class="count-fail">${count(t.fail)}</dd>
          </div>
          <div>
            <dt>ABORTED</dt>
            <dd class="count-aborted">${count(t.aborted)}</dd>
          </div>
          <div>
            <dt>open</dt>
            <dd class="count-open">${count(t.open)}</dd>
          </div>
          <div>
            <dt>PASS rate</dt>
            <dd>${percent(t.pass, decided)}</dd>
          </div>
        </dl>
        <dl class="batch-facts">
          <div>
            <dt>product type</dt>
            <dd>${b.productType}</dd>
          </div>
          <div>
            <dt>profile</dt>
            <dd>${b.profileId} revision ${b.profileRevision}</dd>
          </div>
          <div>
            <dt>firmware</dt>
            <dd>${b.firmware ?? '–'}</dd>
          </div>
          <div>
            <dt>support period ends</dt>
            <dd>${b.supportEndDate}</dd>
          </div>
          <div>
            <dt>evidence kept until</dt>
            <dd class="retention">${b.retentionUntil}</dd>
          </div>
          <div>
            <dt>first / last record</dt>
            <dd>${dateTime(facts.firstAt)} / ${dateTime(facts.lastAt)}</dd>
          </div>
        </dl>
      </div>
      ${
        fleet
          ? html`<section class="batch-stations">
              <h2>Stations that made it</h2>
              ${stationsCell(facts, status)}
            </section>`
          : ''
      }
      <section class="compliance">
        <h2>Statement of compliance and evidence</h2>
        ${
          statement
            ? html`<p class="statement">
                  Statement <strong>issued</strong> on ${statement.dateOfIssue}; keep until
                  <span class="retention">${statement.retainUntil}</span
                  >${facts.statements.length > 1 ? html` (${facts.statements.length} issued)` : ''}.
                </p>
                <p class="downloads">
                  <a class="button" href="/batches/${id}/statement.pdf" download>Statement (PDF)</a>
                  ${view.packUnavailable ? '' : pack}
                </p>
                ${view.packUnavailable ? pack : ''}`
            : html`<p class="statement">
                No statement of compliance issued for this batch yet (<code>credline soc issue</code>); the
                evidence pack needs one.
              </p>`
        }
        ${chainStatusBlock(status)} ${checkpointsBlock(checkpoints)}
      </section>
      <section>
        <h2>Charts</h2>
        ${batchCharts(facts)}
      </section>
      <section class="results">
        <h2>Results, newest first</h2>
        ${
          rows.length === 0
            ? html`<p class="empty">No results yet.</p>`
            : html`<table>
                <thead>
                  <tr>
                    <th>time</th>
                    <th>serial</th>
                    ${fleet ? html`<th>station</th>` : ''}
                    <th>port</th>
                    <th>result</th>
                    <th>reason</th>
                    <th>detail</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>`
        }
        ${results.nextBefore !== null ? html`<p><a class="button" rel="next" href="/batches/${id}?before=${results.nextBefore}">Older results</a></p>` : ''}
      </section>`,
  );
}
