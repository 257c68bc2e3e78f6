/**
 * Fault injection for the simulator. A fault hits one unit: `KIND@N` (the N-th unit on every port, 1-based),
 * `KIND@P:N` (port P, unit N), or by rate (`--fault-rate R` picks, per unit, one of the kinds given without `@`,
 * or any kind, with probability R, from the seeded generator). A kind without `@` and without a rate would inject
 * nothing, so it is refused.
 */
import { usageError } from '../errors/credline-error.js';

export const FAULT_KINDS = {
  garbage: 'answers the write command with line noise instead of OK',
  drop: 'drops the first reply to the write command (a retry recovers)',
  delay: 'answers its first VERIFY 2.5 s late (over the 2 s step timeout; the retry is answered at once)',
  stall: 'answers ID, then hangs at the first other command',
  disconnect: 'sends half of the write reply, then the unit is pulled from the fixture',
  nak: 'refuses the write command with ERR 11 bad-argument',
  'wrong-readback': 'answers VERIFY with the digest of another value',
  'duplicate-serial': "reports the previous unit's serial (with its own nonce)",
  'bad-serial': "reports a serial outside the profile regex (lower case and a '#')",
  'control-serial': 'reports a serial holding a control character (BEL)',
  'slow-commit': 'takes 4 s to commit (inside the 5 s timeout: still a PASS)',
  'commit-fail': 'fails to commit with ERR 50 commit-failed (U-Boot console: "Failed (-5)")',
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;

export interface FaultPlan {
  /** Faults pinned to a unit: key `${port}:${unit}` or `*:${unit}` (1-based). */
  pinned: Map<string, FaultKind>;
  /** Kinds drawn from by rate. */
  pool: FaultKind[];
  rate: number;
}

/**
 * @example parseFaults(['nak@3', 'stall@2:1'], 0) // nak on unit 3 of every port, stall on port 2's first unit
 */
export function parseFaults(specs: readonly string[], rate: number): FaultPlan {
  if (!(rate >= 0 && rate <= 1)) throw usageError('SIM_FAULT_RATE', `--fault-rate expects 0..1, got ${rate}`);
  const pinned = new Map<string, FaultKind>();
  const pool: FaultKind[] = [];
  for (const spec of specs
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z-]+)(?:@(?:(\d+):)?(\d+))?$/.exec(spec);
    const kind = m?.[1];
    if (!m || !kind || !(kind in FAULT_KINDS)) {
      throw usageError(
        'SIM_FAULT',
        `unknown fault ${JSON.stringify(spec)}: expected KIND, KIND@UNIT or KIND@PORT:UNIT with KIND one of ${Object.keys(FAULT_KINDS).join(', ')}`,
      );
    }
    if (m[3] === undefined) pool.push(kind as FaultKind);
    else pinned.set(`${m[2] ?? '*'}:${Number(m[3])}`, kind as FaultKind);
  }
  const unplaced = pool[0];
  if (unplaced !== undefined && rate === 0) {
    throw usageError(
      'SIM_FAULT_UNPLACED',
      `fault ${JSON.stringify(unplaced)} names no unit and there is no --fault-rate, so it would never happen: ` +
        `give ${unplaced}@N (unit N on every port), ${unplaced}@P:N (port P, unit N), or --fault-rate R ` +
        `(each unit gets one of the kinds given without @ with probability R)`,
    );
  }
  return { pinned, pool: pool.length > 0 ? pool : (Object.keys(FAULT_KINDS) as FaultKind[]), rate };
}

/** The fault for unit `unit` (1-based) on port `port` (1-based), if any; `random` is the seeded generator. */
export function faultFor(
  plan: FaultPlan,
  port: number,
  unit: number,
  random: () => number,
): FaultKind | undefined {
  const pinned = plan.pinned.get(`${port}:${unit}`) ?? plan.pinned.get(`*:${unit}`);
  if (pinned) return pinned;
  if (plan.rate > 0 && random() < plan.rate) return plan.pool[Math.floor(random() * plan.pool.length)];
  return undefined;
}
