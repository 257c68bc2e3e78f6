/**
 * The station's side of the attempt loop: the shared loop (src/policy/choose-password.ts, also used by
 * `credline derive`) picks the password; every rejection it met is recorded in the evidence store, without the
 * password, before the device is touched.
 */
import { SCHEME_VERSION } from '../derive/index.js';
import type { EvidenceWriter } from '../evidence/index.js';
import type { ChosenPassword } from '../policy/index.js';

export interface RejectionContext {
  evidence: EvidenceWriter;
  batchId: string;
  keyId: string;
  port: string;
  stationId: string;
  operator?: string;
}

/**
 * Sends every rejection of `chosen` to the evidence writer now (so they precede the unit's intent in the chain);
 * resolves when all are committed.
 */
export function recordRejections(chosen: ChosenPassword, record: RejectionContext): Promise<unknown> {
  return Promise.all(
    chosen.rejections.map((rejection) =>
      record.evidence.recordPolicyRejection({
        batchId: record.batchId,
        serial: chosen.serial,
        keyId: record.keyId,
        schemeVersion: SCHEME_VERSION,
        attempt: rejection.attempt,
        rule: rejection.rule,
        detail: rejection.detail,
        port: record.port,
        stationId: record.stationId,
        ...(record.operator === undefined ? {} : { operator: record.operator }),
      }),
    ),
  );
}
