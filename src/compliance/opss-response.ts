/**
 * The response record of an OPSS notice (`credline opss response REF --out DIR`): the notice and everything done
 * about it, the files attached and sent (their stored bytes, SHA-256 re-checked), the product's statement(s) or
 * label route, and its scope note, with a SHA-256 manifest.
 */
import { createHash } from 'node:crypto';
import { readStoredFile, listDocuments } from './compliance-documents.js';
import type { ComplianceStore } from './compliance-store.js';
import type { LabelRouteRecord } from './label-route.js';
import { renderLabelRouteMarkdown } from './label-route.js';
import { NOTICE_TYPE_NAMES } from './opss-notice.js';
import { getNotice } from './opss-register.js';
import { renderScopeNote } from './scope.js';
import { renderStatementMarkdown } from './statement-markdown.js';
import { productDisplayName } from './statement.js';

export interface ResponseFile {
  name: string;
  data: string | Uint8Array;
}

/** Every file of the response, the manifest (`SHA256SUMS`) last. */
export function assembleResponse(store: ComplianceStore, reference: string): ResponseFile[] {
  const { notice, events, status } = getNotice(store.evidence, reference);
  const record = store.getProductRecord(notice.productId);
  const files: ResponseFile[] = [];
  const lines = [
    `# OPSS ${NOTICE_TYPE_NAMES[notice.type]} ${notice.reference}`,
    '',
    `- **Product:** ${productDisplayName(record.product ?? {}) || record.id} (${record.id})${notice.batchId ? `, batch ${notice.batchId}` : ''}`,
    `- **Received:** ${notice.receivedOn}; **deadline:** ${notice.deadline}; **status:** ${status}`,
    `- **Owner:** ${notice.owner}`,
    `- **Summary:** ${notice.summary}`,
    `- **Register entry:** document ${notice.id}, sealed at chain seq ${notice.seq ?? '-'}`,
    '',
    '## What was done',
    '',
    ...events.map(
      (e) =>
        `- ${e.at} **${e.kind}**: ${e.text}${e.fileSha256 ? ` (\`${e.fileName}\`, SHA-256 ${e.fileSha256})` : ''}` +
        `${e.sentOn ? `, sent on ${e.sentOn}` : ''} — seal seq ${e.seq ?? '-'}`,
    ),
    '',
  ];
  files.push({ name: 'notice.md', data: `${lines.join('\n')}\n` });
  files.push({ name: 'notice.json', data: `${JSON.stringify({ notice, events, status }, null, 2)}\n` });
  for (const event of events) {
    if (event.fileId === null) continue;
    const { file, bytes } = readStoredFile(store.evidence, event.fileId);
    files.push({
      name: `${event.kind === 'sent' ? 'sent' : 'attachments'}/${file.id}-${file.name}`,
      data: bytes,
    });
  }
  const statements = store
    .listStatements()
    .filter((s) => s.productId === record.id && (notice.batchId === null || s.batchId === notice.batchId));
  for (const s of statements) {
    files.push({
      name: `statement/statement-${s.id}-${s.batchId}.json`,
      data: `${JSON.stringify(s.statement, null, 2)}\n`,
    });
    files.push({
      name: `statement/statement-${s.id}-${s.batchId}.md`,
      data: renderStatementMarkdown(s.statement),
    });
  }
  for (const route of listDocuments<LabelRouteRecord>(store.evidence, 'label-route', {
    productId: record.id,
  })) {
    if (notice.batchId !== null && route.batchId !== notice.batchId) continue;
    files.push({
      name: `statement/label-route-${route.id}.json`,
      data: `${JSON.stringify(route.document, null, 2)}\n`,
    });
    files.push({
      name: `statement/label-route-${route.id}.md`,
      data: renderLabelRouteMarkdown(route.document),
    });
  }
  if (record.scope) {
    files.push({
      name: 'scope-note.txt',
      data: renderScopeNote(productDisplayName(record.product ?? {}) || record.id, record.scope),
    });
  }
  files.push({ name: 'product-record.json', data: `${JSON.stringify(record, null, 2)}\n` });
  const sums = files.map((f) => `${createHash('sha256').update(f.data).digest('hex')}  ${f.name}`).join('\n');
  files.push({ name: 'SHA256SUMS', data: `${sums}\n` });
  return files;
}
