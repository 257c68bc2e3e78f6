/**
 * The OPSS notice register in the evidence database: each notice, and each action, attached file, sending and
 * closing recorded against it, as sealed compliance documents (compliance-documents.ts). Append-only: an update is
 * a new event, a closed notice stays in the register.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { usageError } from '../errors/credline-error.js';
import type { EvidenceStore } from '../evidence/index.js';
import { isCalendarDate } from './calendar-date.js';
import { appendDocument, listDocuments, storeFile, type StoredDocument } from './compliance-documents.js';
import {
  checkNoticeInput,
  noticeStatus,
  type NoticeEvent,
  type NoticeEventKind,
  type NoticeInput,
  type OpssNotice,
} from './opss-notice.js';

interface NoticeDocument {
  reference: string;
  type: OpssNotice['type'];
  receivedOn: string;
  deadline: string;
  owner: string;
  summary: string;
}

interface EventDocument {
  reference: string;
  kind: NoticeEventKind;
  text: string;
  file: { id: number; name: string; sha256: string } | null;
  sentOn: string | null;
}

export interface NoticeWithEvents {
  notice: OpssNotice;
  events: NoticeEvent[];
  status: 'open' | 'closed';
}

function toNotice(doc: StoredDocument<NoticeDocument>): OpssNotice {
  return {
    id: doc.id,
    reference: doc.document.reference,
    type: doc.document.type,
    productId: doc.productId,
    batchId: doc.batchId,
    receivedOn: doc.document.receivedOn,
    deadline: doc.document.deadline,
    owner: doc.document.owner,
    summary: doc.document.summary,
    recordedAt: doc.recordedAt,
    seq: doc.seq,
  };
}

function toEvent(doc: StoredDocument<EventDocument>, noticeId: number): NoticeEvent {
  return {
    id: doc.id,
    noticeId,
    kind: doc.document.kind,
    text: doc.document.text,
    fileId: doc.document.file?.id ?? null,
    fileSha256: doc.document.file?.sha256 ?? null,
    fileName: doc.document.file?.name ?? null,
    sentOn: doc.document.sentOn,
    at: doc.recordedAt,
    seq: doc.seq,
  };
}

/** Records a notice; its reference must be new. */
export function recordNotice(store: EvidenceStore, input: NoticeInput, now: Date): OpssNotice {
  const checked = checkNoticeInput(input);
  return store.transaction(() => {
    if (listDocuments(store, 'opss-notice', { reference: checked.reference }).length > 0) {
      throw usageError(
        'OPSS_NOTICE_EXISTS',
        `notice ${checked.reference} is already in the register (use opss update)`,
      );
    }
    const doc = appendDocument<NoticeDocument>(
      store,
      {
        kind: 'opss-notice',
        productId: checked.productId,
        batchId: checked.batchId ?? null,
        reference: checked.reference,
        document: {
          reference: checked.reference,
          type: checked.type,
          receivedOn: checked.received,
          deadline: checked.deadline,
          owner: checked.owner.trim(),
          summary: checked.summary.trim(),
        },
      },
      now.toISOString(),
    );
    return toNotice(doc);
  });
}

/** A notice and everything recorded against it. */
export function getNotice(store: EvidenceStore, reference: string): NoticeWithEvents {
  const doc = listDocuments<NoticeDocument>(store, 'opss-notice', { reference })[0];
  if (!doc)
    throw usageError(
      'OPSS_NOTICE_NOT_FOUND',
      `no notice ${reference} in ${store.file} (opss list shows them)`,
    );
  const notice = toNotice(doc);
  const events = listDocuments<EventDocument>(store, 'opss-event', { reference }).map((e) =>
    toEvent(e, notice.id),
  );
  return { notice, events, status: noticeStatus(events) };
}

/** Every notice with its events, by deadline. */
export function listNotices(store: EvidenceStore): NoticeWithEvents[] {
  return listDocuments<NoticeDocument>(store, 'opss-notice')
    .map((doc) => getNotice(store, doc.document.reference))
    .sort((a, b) => a.notice.deadline.localeCompare(b.notice.deadline) || a.notice.id - b.notice.id);
}

export interface NoticeUpdate {
  action?: string;
  /** Files to attach: their bytes are stored with their SHA-256. */
  attach?: string[];
  /** What was sent to OPSS (a file, e.g. a restricted pack's zip), and the day it was sent. */
  sent?: { file: string; on: string; text?: string };
}

/** Records actions, attachments and sendings against an open notice; returns the new events. */
export function updateNotice(
  store: EvidenceStore,
  reference: string,
  update: NoticeUpdate,
  now: Date,
): NoticeEvent[] {
  const files = (update.attach ?? []).map((path) => ({ path, bytes: readFile(path) }));
  const sent = update.sent ? { ...update.sent, bytes: readFile(update.sent.file) } : undefined;
  if (sent && !isCalendarDate(sent.on)) {
    throw usageError('DATE_INVALID', `--sent-on ${JSON.stringify(sent.on)}: expected a real date YYYY-MM-DD`);
  }
  if (!update.action && files.length === 0 && !sent) {
    throw usageError(
      'OPSS_UPDATE_EMPTY',
      'nothing to record: give --action TEXT, --attach FILE or --sent FILE --sent-on DATE',
    );
  }
  return store.transaction(() => {
    const current = getNotice(store, reference);
    if (current.status === 'closed') {
      throw usageError(
        'OPSS_NOTICE_CLOSED',
        `notice ${reference} is closed; the register keeps it as it was closed`,
      );
    }
    const at = now.toISOString();
    const event = (kind: NoticeEventKind, text: string, file: EventDocument['file'], sentOn: string | null) =>
      toEvent(
        appendDocument<EventDocument>(
          store,
          {
            kind: 'opss-event',
            productId: current.notice.productId,
            batchId: current.notice.batchId,
            reference,
            document: { reference, kind, text, file, sentOn },
          },
          at,
        ),
        current.notice.id,
      );
    const events: NoticeEvent[] = [];
    if (update.action) events.push(event('action', update.action.trim(), null, null));
    for (const f of files) {
      const stored = storeFile(store, basename(f.path), f.bytes, at);
      events.push(
        event(
          'file',
          `attached ${stored.name}`,
          { id: stored.id, name: stored.name, sha256: stored.sha256 },
          null,
        ),
      );
    }
    if (sent) {
      const stored = storeFile(store, basename(sent.file), sent.bytes, at);
      events.push(
        event(
          'sent',
          sent.text?.trim() || `sent ${stored.name} to OPSS`,
          { id: stored.id, name: stored.name, sha256: stored.sha256 },
          sent.on,
        ),
      );
    }
    return events;
  });
}

/** Closes a notice with how it ended. */
export function closeNotice(
  store: EvidenceStore,
  reference: string,
  outcome: string,
  now: Date,
): NoticeEvent {
  if (outcome.trim() === '')
    throw usageError('OPSS_CLOSE_OUTCOME', '--outcome: say how the notice was resolved');
  return store.transaction(() => {
    const current = getNotice(store, reference);
    if (current.status === 'closed')
      throw usageError('OPSS_NOTICE_CLOSED', `notice ${reference} is already closed`);
    return toEvent(
      appendDocument<EventDocument>(
        store,
        {
          kind: 'opss-event',
          productId: current.notice.productId,
          batchId: current.notice.batchId,
          reference,
          document: { reference, kind: 'closed', text: outcome.trim(), file: null, sentOn: null },
        },
        now.toISOString(),
      ),
      current.notice.id,
    );
  });
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw usageError(
      'FILE_UNREADABLE',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
