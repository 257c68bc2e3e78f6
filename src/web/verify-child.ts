/**
 * Child process: runs `evidence verify` over the store file and sends a summary (whether the chain verifies, the
 * head it reached, the first problems) to the console server. A process rather than a thread, so a verification
 * of a million records takes neither the server's event loop nor its memory.
 */
import { verifyEvidence } from '../evidence/index.js';

export interface VerifySummary {
  ok: boolean;
  headSeq: number;
  problems: string[];
}

const file = process.argv[2] as string;
let summary: VerifySummary;
try {
  const report = verifyEvidence(file);
  summary = {
    ok: report.ok,
    headSeq: report.head.seq,
    problems: report.problems.slice(0, 5).map((p) => p.message),
  };
} catch (error) {
  summary = { ok: false, headSeq: 0, problems: [error instanceof Error ? error.message : String(error)] };
}
process.send?.(summary, () => process.disconnect());
