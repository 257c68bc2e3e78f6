import { describe, expect, it } from 'vitest';
import { DUTY_IDS, type DutyId } from '../../src/compliance/duty-catalogue.js';
import { anyMissing, assessDuties, type DutyEvidence } from '../../src/compliance/duties.js';
import type { ProductRecord } from '../../src/compliance/product-record.js';
import { demoRecord } from './helpers.js';

function record(roles: ProductRecord['roles']): ProductRecord {
  return { ...demoRecord(), roles };
}

/** Evidence where every duty of every role is met, for one batch B-1. */
function fullEvidence(): DutyEvidence {
  return {
    revisions: [{ seq: 3, what: 'product revision 1', revision: 1, record: demoRecord() }],
    batches: [{ batchId: 'B-1' }],
    statements: [
      { seq: 20, what: 'statement 1', id: 1, batchId: 'B-1', intact: true, retainUntil: '2036-01-01' },
    ],
    labelRoutes: [],
    audits: [{ seq: 21, what: 'audit 1', id: 1, batchId: 'B-1', passed: true }],
    supplierChecks: [
      { seq: 22, what: 'check 1', id: 1, batchId: 'B-1', complete: true, documentSha256: 'a'.repeat(64) },
    ],
  };
}

/** Removes the evidence one duty relies on. */
const REMOVE: Record<DutyId, (e: DutyEvidence) => void> = {
  'statement-issued': (e) => (e.statements = []),
  'batch-audited': (e) => (e.audits = []),
  'support-period-published': (e) => {
    const first = e.revisions[0] as DutyEvidence['revisions'][number];
    first.record = { ...first.record, supportPeriod: { endDate: '2031-12-31' } };
  },
  'reporting-contact-published': (e) => {
    const first = e.revisions[0] as DutyEvidence['revisions'][number];
    first.record = { ...first.record, securityIssueReporting: undefined };
  },
  'statement-retained': (e) => {
    e.statements = e.statements.map((s) => ({ ...s, intact: false }));
  },
  'supplier-statement-checked': (e) => (e.supplierChecks = []),
  'supplier-batch-audited': (e) => (e.audits = []),
  'supplier-statement-kept': (e) => {
    e.supplierChecks = e.supplierChecks.map((c) => ({ ...c, documentSha256: null }));
  },
  'statement-accompanies': (e) => {
    e.supplierChecks = [];
    e.statements = [];
  },
};

describe('credline duties: each duty flips between met and missing with its evidence', () => {
  const everyRole = record(['manufacturer', 'importer', 'distributor']);

  it('every duty is met with the full evidence, with the seq of each row', () => {
    const states = assessDuties(everyRole, fullEvidence());
    expect(states.map((s) => s.duty.id)).toEqual([...DUTY_IDS]);
    expect(states.filter((s) => s.state !== 'met')).toEqual([]);
    expect(states.find((s) => s.duty.id === 'statement-issued')?.evidence.map((r) => r.seq)).toEqual([20]);
    expect(anyMissing(states)).toBe(false);
  });

  for (const id of DUTY_IDS) {
    it(`${id}: missing without its evidence, met again with it`, () => {
      const evidence = fullEvidence();
      REMOVE[id](evidence);
      const state = assessDuties(everyRole, evidence).find((s) => s.duty.id === id);
      expect(state?.state).toBe('missing');
      expect(assessDuties(everyRole, fullEvidence()).find((s) => s.duty.id === id)?.state).toBe('met');
    });
  }

  it('a duty whose trigger has not happened is due; roles select the duties; owners come from the record', () => {
    const importer = record(['importer']);
    importer.dutyOwners = {
      default: { owner: 'Import desk', escalation: 'Ops director' },
      'supplier-batch-audited': { owner: 'Incoming QA', escalation: 'Quality director' },
    };
    const states = assessDuties(importer, { ...fullEvidence(), batches: [], audits: [], supplierChecks: [] });
    expect(states.map((s) => [s.duty.id, s.state, s.owner?.owner])).toEqual([
      ['supplier-statement-checked', 'due', 'Import desk'],
      ['supplier-batch-audited', 'due', 'Incoming QA'],
      ['supplier-statement-kept', 'due', 'Import desk'],
    ]);
  });
});
