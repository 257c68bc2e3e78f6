/** The console's charts: the audit report's inline SVG bar charts (no script, no fetch), fed with batch totals. */
import { barChart } from '../../audit/index.js';
import type { BatchFacts } from '../console-source.js';
import { html, trustedMarkup, type SafeHtml } from '../html.js';

const PASS_COLOUR = '#1b7a3a';
const FAIL_COLOUR = '#b3261e';
const RATE_COLOUR = '#3572b0';

export function batchCharts(facts: BatchFacts): SafeHtml {
  const hours = facts.perHour.map((b) => ({ label: `${b.start.slice(5, 10)} ${b.start.slice(11, 13)}h` }));
  const charts = [
    barChart(
      'PASS per hour (UTC)',
      facts.perHour.map((b, i) => ({ label: hours[i]?.label ?? '', value: b.pass })),
      { fill: PASS_COLOUR },
    ),
    barChart(
      'FAIL or ABORTED per hour (UTC)',
      facts.perHour.map((b, i) => ({ label: hours[i]?.label ?? '', value: b.fail })),
      { fill: FAIL_COLOUR },
    ),
    barChart(
      'Failure reasons',
      facts.failureReasons.slice(0, 12).map((r) => ({ label: r.reasonCode, value: r.count })),
      { fill: FAIL_COLOUR },
    ),
    barChart(
      'PASS rate per port (%)',
      facts.perPort.map((p) => ({
        label: p.port,
        value: Math.round((1000 * p.pass) / Math.max(1, p.pass + p.fail + p.aborted)) / 10,
      })),
      { fill: RATE_COLOUR },
    ),
  ];
  return html`<div class="charts">
    ${charts.map((svg) => html`<figure class="chart">${trustedMarkup(svg)}</figure>`)}
  </div>`;
}
