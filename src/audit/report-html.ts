/**
 * The HTML report a compliance reviewer opens: self-contained (inline CSS and SVG, no script, no network), with the
 * rule table citing the law, findings, masked examples and charts (symbol frequency per position, zxcvbn score
 * histogram, length distribution).
 */
import type { AuditAccountable, AuditInput, AuditReport } from './audit-types.js';
import { accountableLine } from './report-text.js';
import { describeInput } from './input-text.js';
import { showPassword } from './mask.js';
import { barChart, escapeXml, positionHeatMap } from './svg-charts.js';

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;text-align:left}
.pass{color:#155724;background:#d4edda;font-weight:bold}.fail{color:#721c24;background:#f8d7da;font-weight:bold}
code{font-family:monospace}.charts svg{margin:.5em 1em .5em 0;border:1px solid #eee}`;

export function renderHtmlReport(
  report: AuditReport,
  context: {
    input: AuditInput;
    showPasswords: boolean;
    generatedAt: string;
    settings: Record<string, unknown>;
    version: string;
    accountable?: AuditAccountable;
  },
): string {
  const e = escapeXml;
  const s = report.stats;
  const verdict = report.passed && report.malformed.length === 0;
  const ruleRows = report.rules
    .map((rule) => {
      const examples = rule.examples
        .map(
          (x) =>
            `<li>line ${x.line}: <code>${e(showPassword(x.password, context.showPasswords))}</code> ${e(x.note)}</li>`,
        )
        .join('');
      return (
        `<tr><td><code>${e(rule.id)}</code></td><td>${e(rule.title)}</td><td>${e(rule.law)}</td>` +
        `<td class="${rule.status}">${rule.status.toUpperCase()}</td><td>${rule.violations}</td>` +
        `<td><ul>${rule.findings.map((f) => `<li>${e(f)}</li>`).join('')}</ul>` +
        `${examples ? `<ul>${examples}</ul>` : ''}</td></tr>`
      );
    })
    .join('\n');
  const lengthBars = Object.entries(s.lengths)
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => Number(a.label) - Number(b.label));
  const scoreBars = s.zxcvbnScores.map((value, score) => ({ label: String(score), value }));
  const charts = [
    barChart('Length distribution (characters)', lengthBars),
    barChart('zxcvbn score histogram (scored rows)', scoreBars),
  ];
  if (s.positions) {
    charts.push(
      barChart(
        `Entropy per position, bits (length ${s.positions.length})`,
        s.positions.entropyBits.map((value, p) => ({
          label: String(p + 1),
          value: Number(value.toFixed(2)),
        })),
      ),
      positionHeatMap(
        `Symbol frequency per position (length ${s.positions.length}, ${s.positions.rows} rows)`,
        s.positions.counts,
        s.positions.rows,
      ),
    );
  }
  const sc = report.scoring;
  const malformed = report.malformed.length
    ? `<h2>Malformed rows (not audited)</h2><ul>${report.malformed
        .slice(0, 200)
        .map((m) => `<li>line ${m.line}: ${e(m.message)}</li>`)
        .join('')}</ul>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>credline audit: ${e(context.input.source)}</title>
<style>${STYLE}</style></head><body>
<h1>Default-password audit</h1>
<p>Batch <code>${e(context.input.source)}</code>, ${s.rows} rows, audited ${e(context.generatedAt)} by credline
${e(context.version)} against UK PSTI
Regulations 2023, Schedule 1 paragraph 1 (ETSI EN 303 645 provision 5.1-1).
Result: <span class="${verdict ? 'pass' : 'fail'}">${verdict ? 'PASS' : 'FAIL'}</span>.
Passwords are ${context.showPasswords ? '<strong>shown in full</strong>' : 'masked (first and last character)'}.</p>
${!verdict && context.accountable ? `<p class="fail">${e(accountableLine(context.accountable))}</p>` : ''}
<table><tr><th>rule</th><th>requirement</th><th>law</th><th>status</th><th>violations</th><th>evidence</th></tr>
${ruleRows}
</table>
<h2>Input</h2>
<table>
<tr><th>file</th><td><code>${e(context.input.source)}</code></td></tr>
<tr><th>SHA-256</th><td><code>${e(context.input.sha256)}</code></td></tr>
<tr><th>rows</th><td>${context.input.rows} (audited and malformed)</td></tr>
<tr><th>read as</th><td>${e(describeInput(context.input))}</td></tr>
<tr><th>credline</th><td>${e(context.version)}</td></tr>
</table>
<h2>Statistics</h2>
<table>
<tr><th>distinct passwords</th><td>${s.distinctPasswords} (${s.duplicates} rows duplicated)</td></tr>
<tr><th>character set</th><td>${s.charset.symbols} symbols: ${e(s.charset.classes.join(', '))}</td></tr>
<tr><th>estimated entropy per password</th><td>mean ${s.meanEntropyBits.toFixed(1)} bits, minimum ${s.minEntropyBits.toFixed(1)} bits</td></tr>
${
  s.positions
    ? `<tr><th>per-position chi-square</th><td>worst position p = ${s.positions.worstPValue.toPrecision(2)} against uniform over ${s.positions.degreesOfFreedom + 1} symbols (Bonferroni over ${s.positions.length} positions)</td></tr>`
    : ''
}
<tr><th>how rows were scored</th><td>every row: exact checks and the pre-screen; zxcvbn: ${sc.zxcvbnScored} rows
(${sc.flagged} flagged by the pre-screen, ${sc.zxcvbnSampled} at random, seed ${sc.seed}), ${sc.zxcvbnTimedOut.length} over the time limit;
unkeyed-hash and known-scheme hypotheses searched on ${sc.hypothesisSample} rows and confirmed on all</td></tr>
</table>
<div class="charts">${charts.join('\n')}</div>
${malformed}
<h2>Settings</h2><pre>${e(JSON.stringify(context.settings, null, 2))}</pre>
</body></html>
`;
}
