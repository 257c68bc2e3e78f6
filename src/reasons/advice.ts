/**
 * What an operator does with a unit that did not PASS, one line per reason code: retry, re-seat, the rework bin, or
 * call the line engineer. Shown on the provision FAIL line, in its JSON lines, on the web console's line view, and
 * in the reason table of provisioning/REASONS.md (a test keeps that table and this one the same).
 */

/** Reason code → advice, in the order of the docs' table. */
export const REASON_ADVICE: Readonly<Record<string, string>> = {
  timeout: 're-seat the unit and retry; if it times out again, rework bin',
  garbage: 'check the fixture cable and the baud rate, re-seat the unit and retry; if it repeats, rework bin',
  disconnected: 'check the adapter and its cable, re-seat the unit and retry',
  nak: 'the unit refused the write: retry once; if it refuses again, rework bin',
  'identify-refused': 'the unit would not identify itself: rework bin',
  'readback-mismatch': 'the unit holds another value than the one written: rework bin, never ship it',
  'commit-failed': 'the unit could not save to flash: retry once; if it fails again, rework bin',
  'login-refused':
    "the unit stored the password but its own login refused it: rework bin, and tell the line engineer the profile's store kind",
  'lock-failed': 'the unit could not be locked: rework bin',
  'unit-changed': 'the unit was swapped mid-write: put the first unit back and retry it',
  'shadow-not-writable':
    "the unit's /etc/shadow cannot be written (read-only file system): rework bin, its firmware image needs a writable /etc",
  'file-not-writable':
    "the unit's password file cannot be written: rework bin, for its firmware to be checked",
  'serial-invalid': 'the unit reports a malformed serial: rework bin (its serial must be programmed first)',
  'identity-invalid': 'the unit reports a malformed MAC or firmware version: rework bin',
  'duplicate-serial': 'another unit reports the same serial: set this one aside and call the line engineer',
  'already-provisioned':
    'already passed: a unit back for rework is retried with --reprovision SERIAL --reason TEXT; ' +
    'another unit with this serial is set aside for the line engineer',
  'serial-blank':
    'the unit arrived without a serial and there is no work order to assign one from: set it aside for a run with --order',
  'outside-order': 'the serial is not one the work order allows: set the unit aside for the line engineer',
  'order-exhausted':
    'the work order has all its units: set the unit aside for the next order (nothing was written to it)',
  'order-serial-used':
    'another unit under the work order holds or spent this serial: set this one aside for the line engineer',
  'order-no-serial-left':
    'the work order has no unused serial left for a blank unit: set it aside for the next order',
  'reserved-elsewhere':
    'another station holds this serial (or its password) in the central store: set the unit aside for the line engineer',
  'reserve-failed':
    'the central store could not be reached to reserve the unit (the line stops): restore the connection, then retry',
  'policy-exhausted': 'no password met the policy, a defect: set the unit aside and call the line engineer',
  'token-lost':
    "the line key's token stopped answering (the line stops): reconnect the token, then re-seat the unit and retry",
  'label-failed': 'the label printer stopped: fix it (the line stops), then re-seat the unit and retry',
  aborted: 'stopped by the operator before it finished: re-seat the unit and retry',
  interrupted:
    'the station stopped mid-unit: re-seat the unit and retry (it may hold a password without a label)',
};

/** For a reason code a profile defines itself (a step's `failReason`, e.g. `serial-unset`). */
export const PROFILE_REASON_ADVICE =
  "the profile's own reason (see its failReason): rework bin; call the line engineer if it repeats";

/**
 * @example adviceFor('nak') // 'the unit refused the write: retry once; if it refuses again, rework bin'
 */
export function adviceFor(reason: string): string {
  return REASON_ADVICE[reason] ?? PROFILE_REASON_ADVICE;
}
