/** `credline duties` output: text, JSON, Markdown and HTML, each naming owner and escalation point per duty. */
import type { DutyState } from './duties.js';
import { escapeHtml } from './html.js';
import { escapeMarkdown } from './statement-markdown.js';

export type DutiesFormat = 'text' | 'json' | 'md' | 'html';

export interface DutiesReport {
  productId: string;
  revision: number;
  roles: string[];
  asOf: string;
  states: DutyState[];
}

function seqs(state: DutyState): string {
  if (state.evidence.length === 0) return 'none held';
  return state.evidence.map((r) => `${r.what}${r.seq === null ? '' : ` (seq ${r.seq})`}`).join('; ');
}

function ownerText(state: DutyState): string {
  return state.owner
    ? `${state.owner.owner}; escalate to ${state.owner.escalation}`
    : 'no owner recorded ($.dutyOwners)';
}

/** The report in the asked format, ending with a newline. */
export function renderDutiesReport(report: DutiesReport, format: DutiesFormat): string {
  const missing = report.states.filter((s) => s.state === 'missing').length;
  const headline =
    `${report.productId} revision ${report.revision}, as ${report.roles.join(' and ')}, on ${report.asOf}: ` +
    `${report.states.length} duties, ${missing} missing`;
  if (format === 'json') {
    return `${JSON.stringify(
      {
        product: report.productId,
        revision: report.revision,
        roles: report.roles,
        asOf: report.asOf,
        missing,
        duties: report.states.map((s) => ({
          id: s.duty.id,
          state: s.state,
          law: s.duty.law,
          trigger: s.duty.trigger,
          action: s.duty.action,
          detail: s.detail,
          owner: s.owner?.owner ?? null,
          escalation: s.owner?.escalation ?? null,
          evidence: s.evidence,
        })),
      },
      null,
      2,
    )}\n`;
  }
  if (format === 'md') {
    const rows = report.states.map(
      (s) =>
        `| ${s.state.toUpperCase()} | ${escapeMarkdown(s.duty.id)} | ${escapeMarkdown(s.duty.trigger)} | ` +
        `${escapeMarkdown(s.duty.action)} | ${escapeMarkdown(ownerText(s))} | ${escapeMarkdown(`${s.detail}; ${seqs(s)}`)} |`,
    );
    return [
      `# Duties: ${escapeMarkdown(headline)}`,
      '',
      '| state | duty | trigger | required action | owner and escalation | evidence |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  }
  if (format === 'html') {
    const rows = report.states.map(
      (s) =>
        `<tr class="${s.state}"><td>${s.state.toUpperCase()}</td><td>${escapeHtml(s.duty.id)}<br><small>${escapeHtml(s.duty.law)}</small></td>` +
        `<td>${escapeHtml(s.duty.trigger)}</td><td>${escapeHtml(s.duty.action)}</td><td>${escapeHtml(ownerText(s))}</td>` +
        `<td>${escapeHtml(s.detail)}<br><small>${escapeHtml(seqs(s))}</small></td></tr>`,
    );
    return (
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
      `<title>${escapeHtml(`Duties: ${report.productId}`)}</title>\n` +
      '<style>body{font-family:system-ui,Arial,sans-serif;margin:2rem}td,th{border:1px solid #999;padding:.3rem;' +
      'vertical-align:top}table{border-collapse:collapse}.missing td:first-child{color:#b00;font-weight:bold}' +
      '.met td:first-child{color:#060}</style>\n</head>\n<body>\n' +
      `<h1>${escapeHtml(headline)}</h1>\n<table>\n<tr><th>state</th><th>duty</th><th>trigger</th>` +
      `<th>required action</th><th>owner and escalation</th><th>evidence</th></tr>\n${rows.join('\n')}\n` +
      '</table>\n</body>\n</html>\n'
    );
  }
  const lines = [headline, ''];
  for (const s of report.states) {
    lines.push(
      `${s.state.toUpperCase().padEnd(8)}${s.duty.id}  (${s.duty.law})`,
      `        trigger:  ${s.duty.trigger}`,
      `        action:   ${s.duty.action}`,
      `        owner:    ${ownerText(s)}`,
      `        evidence: ${s.detail}; ${seqs(s)}`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
