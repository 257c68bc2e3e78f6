/**
 * A run's batch: the station and line key registered, the batch opened (or found, with the same profile) and bound
 * to the run's key, alphabet and length, in one transaction.
 */
import { usageError } from '../errors/credline-error.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { ProvisioningPlan } from './provisioning-run.js';

/**
 * Registers the station and the line key, opens the batch (or finds it, with the same profile), and binds it to this
 * key, alphabet and length (or checks it is bound to them): a batch never mixes keys. A later `--support-end` is
 * recorded as an extension; an earlier one is refused. One transaction: a refused run records nothing.
 */
export function openBatch(
  store: EvidenceStore,
  plan: ProvisioningPlan,
  key: { keyId: string; label: string; testKey: boolean },
  notice: (text: string) => void,
): void {
  const { keyId } = key;
  const { profile, hash } = plan.profile;
  const bound = store.transaction(() => {
    store.ensureStation({ stationId: plan.stationId });
    store.registerLineKey(keyId, key.label);
    const known = store.getBatch(plan.batchId);
    const supportEndDate = known?.supportEndDate ?? plan.supportEnd;
    if (!supportEndDate)
      throw usageError(
        'SUPPORT_END',
        `batch ${plan.batchId} is new: give --support-end YYYY-MM-DD (end of the support period)`,
      );
    store.ensureBatch({
      batchId: plan.batchId,
      productType: profile.product.type,
      profileId: profile.id,
      profileRevision: profile.revision,
      profileHash: hash,
      ...(known?.firmware ? { firmware: known.firmware } : {}),
      supportEndDate,
    });
    return store.bindBatch({
      batchId: plan.batchId,
      keyId,
      testKey: key.testKey,
      alphabet: profile.passwordPolicy.alphabet,
      passwordLength: profile.passwordPolicy.length,
      ...(plan.supportEnd === undefined ? {} : { supportEndDate: plan.supportEnd }),
    });
  });
  if (bound.extendedFrom !== undefined) {
    notice(
      `batch ${plan.batchId}: support period extended from ${bound.extendedFrom} to ${bound.terms.supportEndDate} ` +
        `(recorded as an extension, evidence seq ${bound.terms.seq}; PSTI Schedule 1 paragraph 3(3))`,
    );
  }
}
