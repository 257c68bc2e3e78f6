/**
 * `npm run bench -- policy`: the proven zxcvbn bound (docs/policy.md) against zxcvbn itself on derived candidates:
 * every decision compared (the run fails on any difference), how many candidates still needed zxcvbn, and the
 * median time per check both ways. BENCH_POLICY_CANDIDATES sets the count (default 1,000,000: about 15 minutes of
 * zxcvbn on one core).
 */
import { createPasswordDeriver, UNAMBIGUOUS56 } from '../src/derive/index.js';
import { createPasswordPolicy, createZxcvbnEstimator, type StrengthEstimator } from '../src/policy/index.js';

const TEST_KEY = new Uint8Array(32).map((_, i) => i);

function median(times: Float64Array): string {
  const sorted = [...times].sort((a, b) => a - b);
  return ((sorted[Math.floor(sorted.length / 2)] ?? 0) * 1000).toFixed(1);
}

export async function run(): Promise<void> {
  const count = Number(process.env['BENCH_POLICY_CANDIDATES'] ?? 1_000_000);
  const derive = createPasswordDeriver(TEST_KEY, {
    profileId: 'acme-cam',
    alphabet: UNAMBIGUOUS56,
    length: 12,
  });
  const names = { manufacturer: 'Acme Cameras', model: 'KL-2301' };
  const zxcvbn = createZxcvbnEstimator();
  let zxcvbnRuns = 0;
  const counting: StrengthEstimator = {
    ...zxcvbn,
    estimate(password, userInputs) {
      zxcvbnRuns++;
      return zxcvbn.estimate(password, userInputs);
    },
  };
  const fast = createPasswordPolicy({ ...names, estimator: counting, figures: 'bound' });
  const full = createPasswordPolicy({
    ...names,
    estimator: { estimate: zxcvbn.estimate, scoreCeiling: zxcvbn.scoreCeiling },
  });
  fast.check('warm-up-candidate', { serial: 'X' });
  full.check('warm-up-candidate', { serial: 'X' });
  zxcvbnRuns = 0;
  const fastTimes = new Float64Array(count);
  const fullTimes = new Float64Array(count);
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const serial = `KL2301-${String(1_000_000 + i)}`;
    const candidate = derive(serial).password ?? '';
    const identity = { serial };
    let t = performance.now();
    const a = fast.check(candidate, identity);
    fastTimes[i] = performance.now() - t;
    t = performance.now();
    const b = full.check(candidate, identity);
    fullTimes[i] = performance.now() - t;
    if (a.accepted !== b.accepted || a.rule !== b.rule || a.reason !== b.reason) {
      throw new Error(`the proven bound and zxcvbn disagree on derived candidate ${i} (${serial})`);
    }
    if (!b.accepted) rejected++;
  }
  console.log(
    `policy decisions, ${count.toLocaleString('en-GB')} derived candidates (unambiguous56, 12): all identical ` +
      `(${rejected} rejected); zxcvbn needed on ${zxcvbnRuns.toLocaleString('en-GB')}; median check ` +
      `${median(fastTimes)} µs with the bound, ${median(fullTimes)} µs with zxcvbn on every candidate`,
  );
}
