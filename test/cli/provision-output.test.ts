/** The operator's PASS/FAIL line: a FAIL carries its reason, what happened and what to do; a test key says so. */
import { describe, expect, it } from 'vitest';
import { formatDevice } from '../../src/cli/provision-output.js';
import type { DeviceEvent } from '../../src/station/index.js';

const base: DeviceEvent = {
  type: 'device',
  result: 'FAIL',
  serial: 'SIM1-000002',
  port: '/dev/ttyUSB1',
  reason: 'nak',
  detail: 'write: device said: ERR 11 bad-argument',
  advice: 'the unit refused the write: retry once; if it refuses again, rework bin',
  elapsedMs: 12.34,
  deviceWaitMs: 10,
};

describe('the operator line', () => {
  it('shows a FAIL with its reason, detail and advice', () => {
    expect(formatDevice(base, false)).toBe(
      'FAIL  SIM1-000002        /dev/ttyUSB1  nak: write: device said: ERR 11 bad-argument -- ' +
        'the unit refused the write: retry once; if it refuses again, rework bin',
    );
  });
  it('marks every line of a test-key run', () => {
    const pass: DeviceEvent = { ...base, result: 'PASS', attempt: 0, evidenceSeq: 9, testKey: true };
    expect(formatDevice(pass, false)).toBe(
      'PASS  SIM1-000002        /dev/ttyUSB1  attempt 0, evidence #9  [TEST KEY: never ship]',
    );
  });
});
