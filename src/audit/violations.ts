/** Marks the rows that break a rule and keeps the first few as examples. */
import type { AuditBatch, RuleExample } from './audit-types.js';

export class Violations {
  readonly marks: Uint8Array;
  count = 0;
  readonly examples: RuleExample[] = [];

  constructor(
    private readonly batch: AuditBatch,
    private readonly maxExamples = 5,
  ) {
    this.marks = new Uint8Array(batch.passwords.length);
  }

  /** Marks row `index`; `note` (never the password) is kept for the first few rows as an example. */
  mark(index: number, note: string | (() => string)): void {
    if (this.marks[index]) return;
    this.marks[index] = 1;
    this.count++;
    if (this.examples.length < this.maxExamples) {
      this.examples.push({
        line: this.batch.lines[index] ?? index + 1,
        password: this.batch.passwords[index] ?? '',
        note: typeof note === 'string' ? note : note(),
      });
    }
  }

  has(index: number): boolean {
    return this.marks[index] === 1;
  }
}
