/**
 * The OPSS notice register: notices the Office for Product Safety and Standards serves under the Act (compliance,
 * stop, recall, monetary penalty, forfeiture, information), each with its deadline, owner and what was done. Pure:
 * the types, the checks on what is recorded, and when a notice is due. The rows live in the evidence database
 * (opss-register.ts), sealed into the chain like the other compliance rows.
 */
import { usageError } from '../errors/credline-error.js';
import { isCalendarDate } from './calendar-date.js';

export const NOTICE_TYPES = [
  'compliance',
  'stop',
  'recall',
  'monetary-penalty',
  'forfeiture',
  'information',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** The Act's name for each notice, for documents. */
export const NOTICE_TYPE_NAMES: Record<NoticeType, string> = {
  compliance: 'compliance notice',
  stop: 'stop notice',
  recall: 'recall notice',
  'monetary-penalty': 'monetary penalty notice',
  forfeiture: 'forfeiture',
  information: 'information notice',
};

export interface NoticeInput {
  type: string;
  reference: string;
  received: string;
  deadline: string;
  productId: string;
  batchId?: string;
  owner: string;
  summary: string;
}

export interface OpssNotice {
  id: number;
  reference: string;
  type: NoticeType;
  productId: string;
  batchId: string | null;
  receivedOn: string;
  deadline: string;
  owner: string;
  summary: string;
  recordedAt: string;
  seq: number | null;
}

export const NOTICE_EVENT_KINDS = ['action', 'file', 'sent', 'closed'] as const;
export type NoticeEventKind = (typeof NOTICE_EVENT_KINDS)[number];

/** Something done about a notice: an action, a file attached, what was sent (and when), the closing. */
export interface NoticeEvent {
  id: number;
  noticeId: number;
  kind: NoticeEventKind;
  text: string;
  /** For `file` and `sent`: the stored file's id and SHA-256. */
  fileId: number | null;
  fileSha256: string | null;
  fileName: string | null;
  /** For `sent`: the day it was sent. */
  sentOn: string | null;
  at: string;
  seq: number | null;
}

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,99}$/;

/** Checks what `opss record` was given; one error naming every bad option. */
export function checkNoticeInput(input: NoticeInput): NoticeInput & { type: NoticeType } {
  const problems: string[] = [];
  if (!(NOTICE_TYPES as readonly string[]).includes(input.type)) {
    problems.push(`--type ${JSON.stringify(input.type)}: expected one of ${NOTICE_TYPES.join(', ')}`);
  }
  if (!REFERENCE.test(input.reference)) {
    problems.push(
      `--reference ${JSON.stringify(input.reference)}: expected letters, digits, space . / _ - (up to 100)`,
    );
  }
  for (const [option, value] of [
    ['--received', input.received],
    ['--deadline', input.deadline],
  ] as const) {
    if (!isCalendarDate(value))
      problems.push(`${option} ${JSON.stringify(value)}: expected a real date YYYY-MM-DD`);
  }
  if (isCalendarDate(input.received) && isCalendarDate(input.deadline) && input.deadline < input.received) {
    problems.push(`--deadline ${input.deadline} is before --received ${input.received}`);
  }
  if (input.owner.trim() === '') problems.push('--owner: a person or team is needed');
  if (input.summary.trim() === '') problems.push('--summary: say what the notice asks');
  if (problems.length > 0) {
    throw usageError(
      'OPSS_NOTICE_INVALID',
      `notice not recorded:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return { ...input, type: input.type as NoticeType };
}

/** `14d` → 14. */
export function parseDueWithin(text: string): number {
  const match = /^(\d{1,4})d$/.exec(text.trim());
  if (!match)
    throw usageError('DUE_WITHIN_INVALID', `--due-within ${JSON.stringify(text)}: expected days, e.g. 14d`);
  return Number(match[1]);
}

/** Days from `today` to the deadline (negative when overdue). */
export function daysToDeadline(notice: Pick<OpssNotice, 'deadline'>, today: string): number {
  return Math.round(
    (Date.parse(`${notice.deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
}

/** `open`, or `closed` once a closing event is recorded. */
export function noticeStatus(events: readonly NoticeEvent[]): 'open' | 'closed' {
  return events.some((e) => e.kind === 'closed') ? 'closed' : 'open';
}
