/** Plain-text renderings of evidence records and reports, for `credline evidence … --format text`. */
import type { StoreStats, VerifyReport, EventRecord, RejectionRecord } from '../../evidence/index.js';

/**
 * One line per event: seq, what happened, serial, key, attempt, fingerprint prefix, port, station, time.
 *
 * @example renderEventLine(e); // '     12 RESULT PASS    SN-1  key d9c183eb84616abf  attempt 0  fp 5863da2f…  …'
 */
export function renderEventLine(e: EventRecord): string {
  const what = e.kind === 'INTENT' ? 'INTENT        ' : `RESULT ${(e.result ?? '').padEnd(7)}`;
  const parts = [
    `${String(e.seq).padStart(7)} ${what}`,
    e.serial,
    `batch ${e.batchId}`,
    `key ${e.keyId}`,
    e.attempt === null ? '' : `attempt ${e.attempt}`,
    e.fingerprint === null ? '' : `fp ${e.fingerprint.slice(0, 12)}…`,
    e.port ?? '',
    `station ${e.stationId}`,
    e.operator === null ? '' : `operator ${e.operator}`,
    e.kind === 'INTENT' ? `started ${e.startedAt}` : `finished ${e.finishedAt ?? ''}`,
    e.reasonCode === null ? '' : `reason ${e.reasonCode}${e.reasonText ? `: ${e.reasonText}` : ''}`,
    e.reprovisionReason === null ? '' : `re-provision: ${e.reprovisionReason}`,
  ];
  return parts.filter((p) => p !== '').join('  ');
}

export function renderRejectionLine(r: RejectionRecord): string {
  return [
    `${String(r.seq).padStart(7)} REJECTED      `,
    r.serial,
    `batch ${r.batchId}`,
    `key ${r.keyId}`,
    `attempt ${r.attempt}`,
    `rule ${r.rule}${r.detail ? `: ${r.detail}` : ''}`,
    `station ${r.stationId}`,
    r.recordedAt,
  ].join('  ');
}

export function renderStats(file: string, s: StoreStats): string {
  const lines = [
    `evidence store ${file} (schema version ${s.schemaVersion})`,
    `chain head     seq ${s.head.seq}  ${s.head.hash}`,
    `records        ${s.stations} station(s), ${s.lineKeys} line key(s), ${s.batches.length} batch(es), ` +
      `${s.events} provisioning event(s), ${s.rejections} policy rejection(s), ${s.complianceSeals} compliance seal(s)`,
    `checkpoints    ${s.checkpoints}; ${s.unsigned} record(s) after the last one are unsigned`,
  ];
  for (const b of s.batches) {
    lines.push(
      `batch ${b.batchId}: ${b.intents} device attempt(s): ${b.pass} PASS, ${b.fail} FAIL, ${b.aborted} ABORTED, ${b.open} open`,
    );
  }
  return lines.join('\n');
}

/** The verify report: OK/FAILED first, then the problems in chain order (the first is the first bad event). */
export function renderVerifyReport(r: VerifyReport): string {
  const lines = [
    `${r.ok ? 'OK' : 'FAILED'}: ${r.file}: ${r.records} chained record(s), head seq ${r.head.seq} ${r.head.hash}`,
  ];
  for (const p of r.problems)
    lines.push(`  ${p.seq === undefined ? '' : `seq ${p.seq}: `}[${p.kind}] ${p.message}`);
  if (r.truncatedProblems)
    lines.push('  … more problems were found; fix or investigate the first ones above');
  const c = r.checkpoints;
  lines.push(
    c.total === 0
      ? '  no signed checkpoints: nothing proves the chain was not rewritten as a whole'
      : `  checkpoints: ${c.valid} of ${c.total} valid, last signed seq ${c.lastSignedSeq}, signed by ` +
          c.signerKeys.map((k) => `station key ${k.keyId} (public key ${k.publicKey})`).join(', '),
  );
  if (r.ok && c.total > 0 && !r.signerPinned) {
    lines.push(
      '  signer not pinned: anyone able to write the file could have re-signed it; pass --station-key FILE ' +
        '(or --station-public-key HEX) to check who signed',
    );
  }
  if (r.unsigned > 0) {
    lines.push(
      `  ${r.unsigned} record(s) after seq ${c.lastSignedSeq} are not covered by a signed checkpoint (unsigned)`,
    );
  }
  if (r.compliance.unsealed > 0) {
    lines.push(
      `  ${r.compliance.unsealed} compliance row(s) are not sealed in the chain: the file predates seals ` +
        '(schema 5); the next credline command that writes to it seals them',
    );
  } else if (r.compliance.rows > 0 && !r.problems.some((p) => p.kind === 'compliance')) {
    lines.push(`  ${r.compliance.rows} compliance row(s), each matching its seal in the chain`);
  }
  if (r.anchor?.found) {
    lines.push(
      `  expected head found at seq ${r.anchor.seq}; ${r.head.seq - r.anchor.seq} record(s) were appended since`,
    );
  }
  return lines.join('\n');
}
