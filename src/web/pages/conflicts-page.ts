/**
 * Conflicts across the fleet (a central store): the same serial PASSed at two stations, or one password fingerprint
 * given to two serials, each side named by station, batch, record and time; and the records the store refused at
 * ingest. No fingerprint is shown: the kind of conflict says what matched.
 */
import type { ConflictSide, ConflictView, FindingView } from '../console-source.js';
import { html, type SafeHtml } from '../html.js';
import { dateTime, segment } from './format.js';
import { page, type Frame } from './layout.js';

const KIND_TEXT: Record<ConflictView['kind'], string> = {
  serial: 'same serial PASSed twice',
  fingerprint: 'same password for two serials',
};

function side(s: ConflictSide): SafeHtml {
  return html`<td class="conflict-station">${s.stationId}</td>
    <td><a href="/batches/${segment(s.batchId)}">${s.batchId}</a></td>
    <td><a href="/devices?serial=${segment(s.serial)}">${s.serial}</a></td>
    <td class="num">${s.seq}</td>
    <td>${dateTime(s.at)}</td>`;
}

export function conflictsPage(
  conflicts: readonly ConflictView[],
  findings: readonly FindingView[],
  frame: Frame,
): SafeHtml {
  const rows = conflicts.map(
    (c) =>
      html`<tr class="conflict conflict-${c.kind}">
        <td>${KIND_TEXT[c.kind]}</td>
        <td>${c.profileId}</td>
        ${side(c.first)} ${side(c.second)}
        <td>${dateTime(c.foundAt)}</td>
      </tr>`,
  );
  const refused = findings.map(
    (f) =>
      html`<tr>
        <td>${dateTime(f.foundAt)}</td>
        <td>${f.stationId}</td>
        <td class="num">${f.seq}</td>
        <td><code>${f.kind}</code></td>
        <td>${f.detail}</td>
      </tr>`,
  );
  return page(
    'Conflicts',
    'conflicts',
    frame,
    html`<h1>Conflicts across stations</h1>
      <p>
        A unit's serial may PASS at one station only, and a password may belong to one serial only (compared
        by fingerprint under the same line key). Each conflict names both stations, batches and times.
      </p>
      ${
        rows.length === 0
          ? html`<p class="empty">No conflict: no serial PASSed at two stations, no password given twice.</p>`
          : html`<table class="conflicts">
              <thead>
                <tr>
                  <th rowspan="2">conflict</th>
                  <th rowspan="2">profile</th>
                  <th colspan="5">first</th>
                  <th colspan="5">second</th>
                  <th rowspan="2">found</th>
                </tr>
                <tr>
                  <th>station</th>
                  <th>batch</th>
                  <th>serial</th>
                  <th>record</th>
                  <th>time</th>
                  <th>station</th>
                  <th>batch</th>
                  <th>serial</th>
                  <th>record</th>
                  <th>time</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }
      <h2>Records refused at ingest</h2>
      ${
        refused.length === 0
          ? html`<p class="empty">None: every record pushed so far continued its station's chain.</p>`
          : html`<table class="findings">
              <thead>
                <tr>
                  <th>found</th>
                  <th>station</th>
                  <th>record</th>
                  <th>kind</th>
                  <th>detail</th>
                </tr>
              </thead>
              <tbody>
                ${refused}
              </tbody>
            </table>`
      }`,
  );
}
