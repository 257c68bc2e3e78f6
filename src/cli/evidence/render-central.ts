/** Plain-text renderings of the central store's stats and verify report (`--central`, `credline central …`). */
import type { CentralStoreStats, CentralVerifyReport } from '../../central/index.js';

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function renderCentralStats(where: string, s: CentralStoreStats): string {
  const lines = [
    `central store ${where}`,
    `records        ${count(s.stations.length, 'station')}, ${s.batches.length} batch(es), ` +
      `${s.events} provisioning event(s), ${s.rejections} policy rejection(s), ${s.complianceSeals} compliance seal(s)`,
    `checkpoints    ${s.checkpoints}`,
  ];
  for (const st of s.stations)
    lines.push(
      `station ${st.stationId}: ${count(st.records, 'record')}, head seq ${st.headSeq}, ` +
        `${count(st.checkpoints, 'checkpoint')}`,
    );
  for (const b of s.batches)
    lines.push(
      `batch ${b.batchId}: ${b.intents} device attempt(s): ${b.pass} PASS, ${b.fail} FAIL, ${b.aborted} ABORTED, ` +
        `${b.open} open; stations ${b.stations.map((x) => x.stationId).join(', ')}`,
    );
  return lines.join('\n');
}

export function renderCentralVerify(r: CentralVerifyReport): string {
  const lines = r.stations.map(
    (s) =>
      `station ${s.stationId}: ${count(s.records, 'record')}, head seq ${s.headSeq}, ` +
      `${count(s.checkpoints, 'signed checkpoint')}`,
  );
  const c = r.compliance;
  lines.push(
    `compliance chain: ${count(c.records, 'document')}, head seq ${c.headSeq}, ${count(c.checkpoints, 'signed checkpoint')}` +
      (c.signers.length > 0 ? ` (central key ${c.signers.join(', ')})` : '') +
      (c.unsigned > 0 ? `; ${c.unsigned} document(s) after the last signed head` : ''),
  );
  for (const p of r.problems)
    lines.push(
      p.stationId === 'compliance'
        ? `PROBLEM ${p.seq === null ? '' : `compliance seq ${p.seq}: `}${p.problem}`
        : `PROBLEM station ${p.stationId} seq ${p.seq ?? '-'}: ${p.problem}`,
    );
  lines.push(
    r.problems.length === 0
      ? `OK: every chain links and hashes, every checkpoint verifies (${r.findings} findings, ${r.conflicts} conflicts recorded)`
      : `FAILED: ${r.problems.length} problem(s)`,
  );
  return lines.join('\n');
}
