import { describe, expect, it } from 'vitest';
import type { ScopeAnswers } from '../../src/compliance/product-record.js';
import { assessScope, renderScopeNote } from '../../src/compliance/scope.js';

function answers(change: (a: ScopeAnswers) => void = () => {}): ScopeAnswers {
  const a: ScopeAnswers = {
    relevantConnectableProduct: true,
    northernIreland: {
      windsorFrameworkLegislationApplies: false,
      madeAvailableForSupplyInNorthernIreland: false,
      madeAvailableForSupplyInGreatBritain: true,
    },
    smartChargePoint: false,
    medicalDevice: {
      productWithinMedicalDevicesRegulations2002: false,
      medicalDeviceSoftwareInstalledOrOperable: false,
    },
    smartMeter: { suppliedOrInstalledByLicenceHolder: false, assuredUnderNcscScheme: false },
    computer: { kind: 'none', designedExclusivelyForChildrenUnder14: false },
  };
  change(a);
  return a;
}

describe('scope assessment (Act section 4, Schedule 3)', () => {
  it('finds an ordinary connectable product in scope', () => {
    expect(assessScope(answers())).toMatchObject({ outcome: 'in-scope' });
  });

  it('records a product that is not a relevant connectable product as out of scope', () => {
    const result = assessScope(answers((a) => (a.relevantConnectableProduct = false)));
    expect(result.outcome).toBe('not-relevant-connectable-product');
    expect(result.reliedOn).toBe('section 4 of the Act');
  });

  it('does not except a product merely because medical-device software runs on it (para 3(2))', () => {
    const result = assessScope(
      answers((a) => (a.medicalDevice.medicalDeviceSoftwareInstalledOrOperable = true)),
    );
    expect(result.outcome).toBe('in-scope');
    const finding = result.findings.find((f) => f.paragraph === 'Schedule 3 paragraph 3(2)');
    expect(finding?.finding).toMatch(/not excepted/);
  });

  it('excepts a product that is itself a medical device (para 3(1))', () => {
    const result = assessScope(
      answers((a) => (a.medicalDevice.productWithinMedicalDevicesRegulations2002 = true)),
    );
    expect(result).toMatchObject({ outcome: 'excepted', reliedOn: 'Schedule 3 paragraph 3(1)' });
  });

  it('excepts laptops, desktops and non-cellular tablets, but not ones designed exclusively for under-14s', () => {
    for (const kind of ['desktop', 'laptop', 'tablet-without-cellular'] as const) {
      expect(assessScope(answers((a) => (a.computer.kind = kind))).outcome, kind).toBe('excepted');
      const forChildren = assessScope(
        answers((a) => {
          a.computer.kind = kind;
          a.computer.designedExclusivelyForChildrenUnder14 = true;
        }),
      );
      expect(forChildren.outcome, `${kind} for children`).toBe('in-scope');
      expect(forChildren.findings.some((f) => f.paragraph === 'Schedule 3 paragraph 5(2)')).toBe(true);
    }
    expect(assessScope(answers((a) => (a.computer.kind = 'tablet-with-cellular'))).outcome).toBe('in-scope');
  });

  it('needs both smart-meter conditions (para 4(1)(a) and (b))', () => {
    const one = assessScope(answers((a) => (a.smartMeter.suppliedOrInstalledByLicenceHolder = true)));
    expect(one.outcome).toBe('in-scope');
    const both = assessScope(
      answers((a) => {
        a.smartMeter.suppliedOrInstalledByLicenceHolder = true;
        a.smartMeter.assuredUnderNcscScheme = true;
      }),
    );
    expect(both).toMatchObject({ outcome: 'excepted', reliedOn: 'Schedule 3 paragraph 4' });
  });

  it('excepts Northern Ireland supply only when the product is not also supplied in Great Britain', () => {
    const niAndGb = answers((a) => {
      a.northernIreland.windsorFrameworkLegislationApplies = true;
      a.northernIreland.madeAvailableForSupplyInNorthernIreland = true;
    });
    expect(assessScope(niAndGb).outcome).toBe('in-scope');
    niAndGb.northernIreland.madeAvailableForSupplyInGreatBritain = false;
    expect(assessScope(niAndGb)).toMatchObject({ outcome: 'excepted', reliedOn: 'Schedule 3 paragraph 1' });
  });

  it('excepts smart charge points (para 2)', () => {
    expect(assessScope(answers((a) => (a.smartChargePoint = true))).reliedOn).toBe('Schedule 3 paragraph 2');
  });

  it('prints who decided, when, and the paragraph relied on', () => {
    const note = renderScopeNote('Acme Tab', {
      answers: answers((a) => (a.computer.kind = 'laptop')),
      decidedBy: { name: 'Ana Silva', function: 'Head of Compliance' },
      decidedOn: '2026-03-01',
    });
    expect(note).toContain('EXCEPTED under Schedule 3 paragraph 5(1)');
    expect(note).toContain('Decided by: Ana Silva, Head of Compliance, on 1 March 2026');
  });
});
