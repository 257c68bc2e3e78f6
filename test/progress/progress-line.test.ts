import { describe, expect, it } from 'vitest';
import {
  describeProgress,
  followSteps,
  startProgress,
  type ProgressStream,
} from '../../src/progress/index.js';

function terminal(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('startProgress', () => {
  it('draws done/total, rate and time left on a terminal, redrawn only as the clock allows, and clears it at the end', () => {
    const stream = terminal(true);
    let ms = 0;
    const progress = startProgress('deriving', {
      unit: 'serials',
      total: 1000,
      stream,
      now: () => ms,
      redrawMs: 100,
    });
    ms = 2000;
    progress.advance(200);
    ms = 2050;
    progress.advance(100); // within 100 ms of the last draw: not drawn
    ms = 4000;
    progress.advance(100);
    progress.end();
    const lines = stream.text.split('\r\x1b[K');
    expect(lines).toEqual([
      '',
      'deriving: 0/1,000 serials (0%)',
      'deriving: 200/1,000 serials (20%), 100 serials/s, 8 s left, 2 s so far',
      'deriving: 400/1,000 serials (40%), 100 serials/s, 6 s left, 4 s so far',
      '',
    ]);
  });

  it('starts each stage afresh and counts without a total', () => {
    const stream = terminal(true);
    let ms = 0;
    const progress = startProgress('reading', { unit: 'rows', stream, now: () => ms });
    ms = 10_000;
    progress.advance(50_000);
    progress.stage('rules 1/5: unique');
    progress.end();
    expect(stream.text.split('\r\x1b[K').slice(1)).toEqual([
      'reading',
      'reading: 50,000 rows, 5,000 rows/s, 10 s so far',
      'rules 1/5: unique',
      '',
    ]);
  });

  it('relabels a stage once its total is known, keeping the count and the clock', () => {
    const stream = terminal(true);
    let ms = 0;
    const progress = startProgress('pushing', { unit: 'records', stream, now: () => ms });
    ms = 2000;
    progress.relabel('pushing station line1', 1000);
    ms = 4000;
    progress.advance(500);
    progress.end();
    expect(stream.text.split('\r\x1b[K').slice(1, -1)).toEqual([
      'pushing',
      'pushing station line1: 0/1,000 records (0%), 2 s so far',
      'pushing station line1: 500/1,000 records (50%), 125 records/s, 4 s left, 4 s so far',
    ]);
  });

  it('follows steps reported as (step, done, total): a stage per step, the count as given', () => {
    const stream = terminal(true);
    let ms = 0;
    const progress = startProgress('verifying', { unit: 'records', stream, now: () => ms });
    const report = followSteps(progress, (step) => `verifying: ${step}`);
    report('chain', 0, 100);
    ms = 1000;
    report('chain', 40, 100);
    ms = 2000;
    report('chain', 80, 100);
    report('integrity', 0);
    progress.end();
    expect(stream.text.split('\r\x1b[K').slice(1, -1)).toEqual([
      'verifying',
      'verifying: chain: 0/100 records (0%)',
      'verifying: chain: 40/100 records (40%), 40 records/s, 2 s left, 1 s so far',
      'verifying: chain: 80/100 records (80%), 40 records/s, 1 s left, 2 s so far',
      'verifying: integrity',
    ]);
  });

  it('writes nothing when the stream is not a terminal, or when asked to stay quiet', () => {
    for (const [stream, quiet] of [
      [terminal(false), false],
      [terminal(true), true],
    ] as const) {
      const progress = startProgress('deriving', { unit: 'serials', total: 10, stream, quiet, now: () => 0 });
      progress.advance(10);
      progress.end();
      expect(stream.text).toBe('');
    }
  });

  it('describes long runs in minutes and hours', () => {
    const p = { label: 'auditing', total: 10_000_000, done: 1_000 };
    expect(describeProgress(p, 'rows', 90_000)).toBe(
      'auditing: 1,000/10,000,000 rows (0%), 11 rows/s, 249 h 58 min left, 1 min 30 s so far',
    );
  });
});
