/** What an operator should do about each FAIL reason code the station records, in words. */
const ADVICE: Readonly<Record<string, string>> = {
  nak: 'The unit refused the write. Reseat it in the fixture and run it again; if it repeats, set it aside for repair.',
  'readback-mismatch':
    'The unit read back something else than was written. Set it aside: its flash or firmware is suspect.',
  'commit-failed': 'The unit could not save the password to flash. Set it aside for repair.',
  timeout: 'The unit stopped answering. Check the cable and power, reseat it and run it again.',
  garbage: 'The unit sent unreadable bytes. Check the cable, the baud rate and the firmware version.',
  disconnected: 'The port went away (cable or adapter unplugged). Reconnect it; the unit is run again.',
  'unit-changed': 'A different unit was found mid-write. Put one unit per fixture and run both again.',
  'duplicate-serial':
    'This serial was already seen in this batch. Quarantine the unit and report the serial to engineering.',
  'already-provisioned':
    'This serial already passed. Do not run it again unless engineering asks for a re-provision.',
  'serial-invalid': 'The unit reported an unusable serial. Set it aside: its identity was not programmed.',
  'policy-exhausted': 'No password met the policy for this serial. Report the serial to engineering.',
  'login-refused':
    "The unit stored the password but its own login refused it. Set it aside and report the profile's store kind to engineering.",
  'shadow-not-writable':
    "The unit's /etc/shadow cannot be written (read-only file system). Set it aside: its firmware image needs a writable /etc.",
  'file-not-writable':
    "The unit's password file cannot be written. Set it aside for its firmware to be checked.",
  interrupted: 'The station stopped while this unit was in hand. Run the unit again.',
  aborted: 'The station stopped while this unit was in hand. Run the unit again.',
};

const UNKNOWN = 'See the reason text, and the station log for details.';

export function adviceFor(reasonCode: string | null): string {
  return (reasonCode !== null && ADVICE[reasonCode]) || UNKNOWN;
}
