/**
 * `identifier-derived` (PSTI Sch. 1 para 1(3)(c)): not derived from the device's identifiers without a key.
 *
 * 1. Fragments, every row: the longest run a password shares (case-insensitive) with its own identifiers' forms
 *    (separators removed, reversed, hex/decimal re-renderings). Chance is measured, not assumed: the same is done
 *    for each password against another device's identifiers (row i + n/2; every row up to 250,000 rows, an even
 *    sample scaled up beyond), and an analytic bound (batch symbol
 *    frequencies) covers counts too small to measure. The smallest run length k at which own-identifier matches
 *    significantly exceed chance sets the threshold; rows matching at k or more fail.
 * 2. Unkeyed hashes: on a random sample, every window of MD5/SHA-1/SHA-256/SHA-512/CRC32 of every identifier in
 *    common normalisations, rendered as hex (either case), base64, base64url or decimal; a hypothesis seen on 2+
 *    sample rows is confirmed (or not) on the whole batch.
 * 3. Known schemes: every scheme of the reference is replayed on the sample; a scheme that matches is replayed on
 *    the whole batch and named.
 */
import {
  appendFragmentForms,
  describeHypothesis,
  fragmentChance,
  fragmentForms,
  FragmentMatcher,
  hashInputForm,
  renderDigest,
  unkeyedDigest,
  visitHashRenderings,
  type HashHypothesis,
} from '../policy/index.js';
import type { AuditBatch, AuditProgress } from './audit-types.js';
import { foldedFrequencies } from './public-info-rule.js';
import { KNOWN_SCHEMES, type KnownScheme } from './schemes/index.js';
import { isSignificant } from './significance.js';
import type { Violations } from './violations.js';

const MIN_FRAGMENT = 3;
const MIN_HASH_WINDOW = 6;
const ANALYTIC_SAMPLE = 400;
const CONTROL_ROWS = 250_000;
/** Rows between two reports of progress (a power of two: tested with a mask). */
const PROGRESS_ROWS = 8192;

type Step = AuditProgress['step'];

function rowIdentity(batch: AuditBatch, row: number): Record<string, string> {
  const identity: Record<string, string> = {};
  for (const [name, column] of Object.entries(batch.identifiers)) {
    const value = column.at(row);
    if (value) identity[name] = value;
  }
  return identity;
}

export function checkIdentifierDerived(
  batch: AuditBatch,
  sample: readonly number[],
  violations: Violations,
  step?: Step,
): string[] {
  const findings: string[] = [];
  if (Object.keys(batch.identifiers).length === 0) {
    return ['no identifier columns: this rule could not be checked'];
  }
  checkFragments(batch, violations, findings, step);
  step?.('hash windows', 0, sample.length);
  checkHashWindows(batch, sample, violations, findings);
  step?.('known schemes', 0);
  checkKnownSchemes(batch, sample, violations, findings);
  return findings;
}

function checkFragments(batch: AuditBatch, violations: Violations, findings: string[], step?: Step): void {
  const n = batch.passwords.length;
  const own = new Uint8Array(n);
  const control = new Uint8Array(n);
  const shift = Math.floor(n / 2);
  const matcher = new FragmentMatcher();
  // The control (each password against another device's identifiers) is measured on every `controlStep`-th row
  // and scaled: it only has to estimate chance counts, and the analytic bound covers the small ones.
  const controlStep = Math.max(1, Math.ceil(n / CONTROL_ROWS));
  const columns = Object.values(batch.identifiers);
  const forms: string[] = [];
  for (let j = 0; j < n; j++) {
    if (step && (j & (PROGRESS_ROWS - 1)) === 0) step('fragments', j, n);
    forms.length = 0;
    for (const column of columns) {
      const value = column.at(j);
      if (value) appendFragmentForms(value, forms);
    }
    own[j] = Math.min(255, matcher.load(batch.passwords[j] ?? '').longest(forms));
    if (shift > 0 && j % controlStep === 0) {
      control[j] = Math.min(255, matcher.load(batch.passwords[(j + shift) % n] ?? '').longest(forms));
    }
  }
  const maxK = own.reduce((a, b) => Math.max(a, b), 0);
  if (maxK < MIN_FRAGMENT) return;
  const ownAtLeast = cumulative(own, maxK);
  const controlAtLeast = cumulative(control, maxK).map((count) => count * controlStep);
  const analytic = analyticExpectation(batch, maxK);
  for (let k = MIN_FRAGMENT; k <= maxK; k++) {
    const observed = ownAtLeast[k] ?? 0;
    const expected = Math.max(controlAtLeast[k] ?? 0, analytic[k] ?? 0);
    if (!isSignificant(observed, expected)) continue;
    findings.push(
      `${observed} rows share ${k}+ characters with their own identifiers; chance predicts ` +
        `${expected.toPrecision(2)} (${controlAtLeast[k]} rows against another device's identifiers)`,
    );
    for (let j = 0; j < n; j++) {
      if ((own[j] ?? 0) >= k) violations.mark(j, () => describeFragment(batch, j, own[j] ?? 0));
    }
    return;
  }
  findings.push(
    `shared fragments are no longer or more frequent than chance predicts (longest ${maxK}; p < 1e-6 threshold)`,
  );
}

function describeFragment(batch: AuditBatch, row: number, k: number): string {
  for (const [name, column] of Object.entries(batch.identifiers)) {
    const value = column.at(row);
    const matcher = new FragmentMatcher().load(batch.passwords[row] ?? '');
    if (value && matcher.longest(fragmentForms({ serial: value }, false)) >= k) {
      return `shares ${k} characters with its ${name}`;
    }
  }
  return `shares ${k} characters with its identifiers`;
}

function cumulative(values: Uint8Array, maxK: number): number[] {
  const counts = new Array<number>(maxK + 2).fill(0);
  for (const v of values) counts[Math.min(v, maxK)] = (counts[Math.min(v, maxK)] ?? 0) + 1;
  for (let k = maxK - 1; k >= 0; k--) counts[k] = (counts[k] ?? 0) + (counts[k + 1] ?? 0);
  return counts;
}

/** Expected rows with a k-run by chance: a sample of rows' analytic chance, scaled to the batch. */
function analyticExpectation(batch: AuditBatch, maxK: number): number[] {
  const n = batch.passwords.length;
  const frequencies = foldedFrequencies(batch.passwords);
  const step = Math.max(1, Math.floor(n / ANALYTIC_SAMPLE));
  const expected = new Array<number>(maxK + 1).fill(0);
  let rows = 0;
  for (let j = 0; j < n; j += step) {
    rows++;
    const forms = fragmentForms({ serial: '', ...rowIdentity(batch, j) }); // both directions, as matched
    const length = (batch.passwords[j] ?? '').length;
    for (let k = MIN_FRAGMENT; k <= maxK; k++)
      expected[k] = (expected[k] ?? 0) + fragmentChance(k, length, forms, frequencies);
  }
  return expected.map((e) => (e * n) / Math.max(rows, 1));
}

const hypothesisKey = (h: HashHypothesis): string =>
  `${h.column}\u0000${h.form}\u0000${h.hash}\u0000${h.rendering}`;

const RENDER_ALPHABET: Record<string, number> = {
  'hex-lower': 16,
  'hex-upper': 16,
  base64: 64,
  base64url: 64,
  decimal: 10,
};

function checkHashWindows(
  batch: AuditBatch,
  sample: readonly number[],
  violations: Violations,
  findings: string[],
): void {
  const hits = new Map<string, { hypothesis: HashHypothesis; count: number }>();
  for (const row of sample) {
    const password = batch.passwords[row] ?? '';
    if (password.length < MIN_HASH_WINDOW) continue;
    visitHashRenderings({ serial: '', ...rowIdentity(batch, row) }, (text, hypothesis) => {
      if (text.includes(password)) {
        const key = hypothesisKey(hypothesis);
        const entry = hits.get(key) ?? { hypothesis, count: 0 };
        entry.count++;
        hits.set(key, entry);
      }
      return false;
    });
  }
  const candidates = [...hits.values()]
    .filter((h) => h.count >= Math.min(2, sample.length))
    .sort((a, b) => b.count - a.count)
    .slice(0, 8);
  for (const { hypothesis } of candidates) {
    const column = batch.identifiers[hypothesis.column] ?? [];
    const matched: number[] = [];
    let expected = 0;
    const alphabet = RENDER_ALPHABET[hypothesis.rendering] ?? 16;
    batch.passwords.forEach((password, row) => {
      const value = column.at(row);
      if (!value || password.length < MIN_HASH_WINDOW) return;
      const bytes = hashInputForm(value, hypothesis.form);
      if (!bytes) return;
      const text = renderDigest(hypothesis.rendering, unkeyedDigest(hypothesis.hash, bytes));
      expected += Math.max(0, text.length - password.length + 1) * alphabet ** -password.length;
      if (text.includes(password)) matched.push(row);
    });
    if (!isSignificant(matched.length, expected)) continue;
    const what = describeHypothesis(hypothesis);
    findings.push(`${matched.length} rows are windows of ${what} (confirmed on the whole batch)`);
    for (const row of matched) violations.mark(row, `a window of ${what}`);
  }
  if (candidates.length === 0) {
    findings.push(
      `no password of ${sample.length} sampled rows is a window of an unkeyed hash (MD5, SHA-1, SHA-256, SHA-512, ` +
        'CRC32) of an identifier',
    );
  }
}

function checkKnownSchemes(
  batch: AuditBatch,
  sample: readonly number[],
  violations: Violations,
  findings: string[],
): void {
  const matches = (scheme: KnownScheme, row: number): boolean => {
    const folded = (batch.passwords[row] ?? '').toLowerCase();
    return scheme.candidates(rowIdentity(batch, row)).some((c) => c.toLowerCase() === folded);
  };
  const hit = KNOWN_SCHEMES.filter((scheme) => sample.some((row) => matches(scheme, row)));
  for (const scheme of hit) {
    let count = 0;
    for (let row = 0; row < batch.passwords.length; row++) {
      if (matches(scheme, row)) {
        count++;
        violations.mark(row, `the ${scheme.id} scheme gives this password from its identifiers`);
      }
    }
    findings.push(`${count} rows are the default keys of the known scheme ${scheme.name}`);
  }
  if (hit.length === 0) {
    findings.push(
      `none of ${KNOWN_SCHEMES.length} known vendor schemes reproduces a password of the ${sample.length}-row sample`,
    );
  }
}
