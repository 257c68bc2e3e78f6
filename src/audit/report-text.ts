/** The text summary: one line per rule (PASS/FAIL, count, law), findings and a few masked examples. */
import type { AuditAccountable, AuditInput, AuditReport } from './audit-types.js';
import { describeInput } from './input-text.js';
import { showPassword } from './mask.js';

export function renderTextReport(
  report: AuditReport,
  context: { input: AuditInput; showPasswords: boolean; version: string; accountable?: AuditAccountable },
): string {
  const lines: string[] = [];
  const s = report.stats;
  lines.push(`credline audit: ${context.input.source}: ${s.rows} rows`);
  lines.push(`input: ${describeInput(context.input)}; credline ${context.version}`);
  for (const rule of report.rules) {
    const status = rule.status === 'pass' ? 'PASS' : 'FAIL';
    lines.push(
      `${status} ${rule.id.padEnd(18)} ${String(rule.violations).padStart(8)} violations  ${rule.title} (${rule.law})`,
    );
    for (const finding of rule.status === 'fail' ? rule.findings : rule.findings.slice(0, 1)) {
      lines.push(`     ${finding}`);
    }
    for (const example of rule.examples.slice(0, 3)) {
      lines.push(
        `       line ${example.line}: ${showPassword(example.password, context.showPasswords)}  ${example.note}`,
      );
    }
  }
  lines.push('');
  const lengths = Object.entries(s.lengths)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([len, count]) => `${len}:${count}`)
    .join(' ');
  lines.push(
    `stats: ${s.distinctPasswords} distinct, ${s.duplicates} rows duplicated; lengths ${lengths}; ` +
      `${s.charset.symbols} symbols (${s.charset.classes.join('+')}); entropy mean ${s.meanEntropyBits.toFixed(1)} ` +
      `min ${s.minEntropyBits.toFixed(1)} bits`,
  );
  if (s.positions) {
    lines.push(
      `positions (length ${s.positions.length}, ${s.positions.rows} rows): entropy ` +
        `${s.positions.entropyBits.reduce((a, b) => a + b, 0).toFixed(1)} bits; worst chi-square p = ` +
        `${s.positions.worstPValue.toPrecision(2)} (uniform over ${s.positions.degreesOfFreedom + 1} symbols)`,
    );
  }
  lines.push(`zxcvbn scores 0-4: ${s.zxcvbnScores.join(' / ')}`);
  const sc = report.scoring;
  lines.push(
    `scoring: every row pre-screened; zxcvbn on ${sc.zxcvbnScored} rows (${sc.flagged} flagged, ` +
      `${sc.zxcvbnSampled} sampled, seed ${sc.seed}); ${sc.zxcvbnTimedOut.length} timed out; ` +
      `hash/scheme hypotheses searched on ${sc.hypothesisSample} rows`,
  );
  if (report.malformed.length > 0) {
    lines.push(`malformed rows: ${report.malformed.length} (not audited)`);
    for (const m of report.malformed.slice(0, 10)) lines.push(`  line ${m.line}: ${m.message}`);
  }
  const passed = report.passed && report.malformed.length === 0;
  lines.push(passed ? 'RESULT: PASS' : 'RESULT: FAIL');
  if (!passed && context.accountable) lines.push(accountableLine(context.accountable));
  return `${lines.join('\n')}\n`;
}

/** `owner: …; escalate to … (product P, duty D)`, the line every failing check prints when the record names them. */
export function accountableLine(a: AuditAccountable): string {
  return `owner: ${a.owner}; escalate to ${a.escalation} (product ${a.product}, duty ${a.duty})`;
}
