/**
 * Batch terms: what a batch is bound to besides its profile. A batch's passwords are derived under one line key
 * with one alphabet and length, and its support period only grows (PSTI Schedule 1 paragraph 3(3): a period may
 * be extended, never shortened). The first batch-terms record binds the batch; each later one extends the support
 * period. A batch from before batch terms is bound to the key of its first event, if it has one.
 */
import { usageError } from '../../errors/credline-error.js';
import type { BatchRecord, BatchTermsInput, BatchTermsRecord } from '../types.js';
import * as check from './validate-input.js';

/** The terms asked for, as column values (the support end only when given). */
export function batchTermsRow(input: BatchTermsInput) {
  return {
    batch_id: check.requiredText('batchId', input.batchId, 200),
    key_id: check.hexText('keyId', input.keyId, 16),
    test_key: input.testKey === true ? 1 : 0,
    alphabet: check.requiredText('alphabet', input.alphabet, 94),
    password_length: check.integerIn('passwordLength', input.passwordLength, 1, 1024),
    support_end_date:
      input.supportEndDate === undefined ? null : check.isoDate('supportEndDate', input.supportEndDate),
  };
}

/** What is in force for a batch: its terms record, or what its batch record and first event imply. */
export interface TermsInForce {
  keyId: string | undefined;
  alphabet: string | undefined;
  passwordLength: number | undefined;
  supportEndDate: string;
}

export function termsInForce(
  batch: BatchRecord,
  terms: BatchTermsRecord | undefined,
  firstKey: string | undefined,
): TermsInForce {
  return terms
    ? terms
    : {
        keyId: firstKey,
        alphabet: undefined,
        passwordLength: undefined,
        supportEndDate: batch.supportEndDate,
      };
}

/**
 * Refuses a run whose key, alphabet or length differ from the batch's, or whose support period would end earlier;
 * the message says what the batch holds.
 */
export function assertTermsMatch(
  file: string,
  batch: BatchRecord,
  held: TermsInForce,
  asked: ReturnType<typeof batchTermsRow>,
): void {
  const differs = [
    held.keyId !== undefined && held.keyId !== asked.key_id ? `line key ${asked.key_id}` : undefined,
    held.alphabet !== undefined && held.alphabet !== asked.alphabet
      ? `alphabet ${JSON.stringify(asked.alphabet)}`
      : undefined,
    held.passwordLength !== undefined && held.passwordLength !== asked.password_length
      ? `length ${asked.password_length}`
      : undefined,
  ].filter((d): d is string => d !== undefined);
  if (differs.length > 0) {
    throw usageError(
      'EVIDENCE_BATCH_TERMS',
      `${file}: batch ${batch.batchId} holds ${describeTerms(batch, held)}; this run has ${differs.join(', ')}: ` +
        `provision the batch with what it holds, or use a new batch id`,
    );
  }
  if (asked.support_end_date !== null && asked.support_end_date < held.supportEndDate) {
    throw usageError(
      'EVIDENCE_SUPPORT_END_EARLIER',
      `${file}: batch ${batch.batchId}'s support period ends ${held.supportEndDate}; --support-end ${asked.support_end_date} ` +
        'would shorten it, and a defined support period may only be extended (PSTI Schedule 1 paragraph 3(3))',
    );
  }
}

/** The batch's facts in one phrase: `line key …, alphabet "…", length 12, profile p r1 (sha256 …), support to …`. */
export function describeTerms(batch: BatchRecord, held: TermsInForce): string {
  return [
    held.keyId === undefined ? undefined : `line key ${held.keyId}`,
    held.alphabet === undefined ? undefined : `alphabet ${JSON.stringify(held.alphabet)}`,
    held.passwordLength === undefined ? undefined : `length ${held.passwordLength}`,
    `profile ${batch.profileId} r${batch.profileRevision} (sha256 ${batch.profileHash.slice(0, 16)}…)`,
    `support period to ${held.supportEndDate}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join(', ');
}
