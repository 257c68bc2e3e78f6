import { describe, expect, it } from 'vitest';
import { renderStatementMarkdown } from '../../src/compliance/statement-markdown.js';
import { buildStatement } from '../../src/compliance/statement.js';
import { demoRecord, thrownBy } from './helpers.js';

const REQUEST = { batch: 'B-1', signatory: 'Ana Silva, Compliance', place: 'Leeds', today: '2026-12-03' };

describe('P2: a statement back-dated before its batch or its scope decision', () => {
  it('is refused, naming what came later', () => {
    const error = thrownBy(() =>
      buildStatement(demoRecord(), { ...REQUEST, date: '2024-02-29', firstPassOn: '2026-12-03' }),
    );
    expect(error.code).toBe('STATEMENT_BACKDATED');
    expect(error.message).toContain(
      "before the batch's first PASS on 2026-12-03 and the scope decision on 2026-01-05",
    );
  });

  it('is issued with --backdated-reason, which the statement records', () => {
    const statement = buildStatement(demoRecord(), {
      ...REQUEST,
      date: '2026-11-30',
      firstPassOn: '2026-12-03',
      backdatedReason: 'replaces the paper statement signed on 30 November',
    });
    expect(statement.backdated).toEqual({
      reason: 'replaces the paper statement signed on 30 November',
      before: "the batch's first PASS on 2026-12-03",
    });
    expect(renderStatementMarkdown(statement)).toContain('reason recorded: replaces the paper statement');
  });

  it('a date on or after both is not back-dated', () => {
    expect(
      buildStatement(demoRecord(), { ...REQUEST, date: '2026-12-03', firstPassOn: '2026-12-03' }).backdated,
    ).toBeUndefined();
  });
});
