/**
 * The generation-time password policy: accepts or rejects one candidate for one device under the rules that apply
 * to a single password (`public-info`, `identifier-derived`, `guessable`). `unique` is checked by the station
 * against the evidence store (fingerprints); `counter` holds by construction for keyed derivation and is proven per
 * batch by the auditor. Pure: no I/O, no clock. Reasons never contain the password.
 */
import { DEFAULT_LENGTH, entropyBits, UNAMBIGUOUS56 } from '../derive/index.js';
import { createZxcvbnEstimator, type StrengthEstimator } from './estimator.js';
import { FragmentMatcher, foldedSymbolProbabilities, fragmentChance } from './fragment-match.js';
import { classPool, GUESSABLE_DEFAULTS, judgeGuessable, poolEntropyBits } from './guessable.js';
import { fragmentForms, type DeviceIdentity } from './identifier-forms.js';
import { matchPublicPassword, publicNameForms } from './public-lists.js';
import { describeHypothesis, findHashWindow } from './unkeyed-hash.js';

export type PolicyRuleId = 'public-info' | 'identifier-derived' | 'guessable';

export interface PasswordPolicyOptions {
  /** The alphabet candidates are drawn from (default unambiguous56): sets the entropy and chance figures. */
  alphabet?: string;
  /** The expected length in symbols (default 12). A candidate of another length is judged by its own length. */
  length?: number;
  /** Minimum zxcvbn score 0..4 (default 3). */
  minZxcvbnScore?: number;
  /** Minimum entropy `len × log2(n)` in bits (default 48, the tool's floor). */
  minEntropyBits?: number;
  /** Minimum length in characters (default 8). */
  minLength?: number;
  manufacturer?: string;
  brand?: string;
  model?: string;
  productNames?: readonly string[];
  /**
   * A fragment or name match is a rejection only when a random candidate would show it with probability below
   * this (default 1e-3): rejections by pure chance then stay under about 0.1% of candidates.
   */
  chanceLimit?: number;
  /** The strength estimator (default zxcvbn, loaded on first check). */
  estimator?: StrengthEstimator;
  /**
   * The zxcvbn figures of an accepted candidate: `exact` (default) runs the estimator on it even when its cheap
   * proof settled the decision, as the station's evidence records them; `bound` keeps the proven lower bounds
   * (`zxcvbnBound`), for callers that record no figures (`derive`). The decision is the same either way.
   */
  figures?: 'exact' | 'bound';
}

export interface PolicyVerdict {
  accepted: boolean;
  rule?: PolicyRuleId;
  /** Why, without the password. */
  reason?: string;
  /** zxcvbn's score and log10 guesses; when `zxcvbnBound`, proven lower bounds on them (docs/policy.md). */
  zxcvbnScore: number;
  log10Guesses: number;
  zxcvbnBound?: true;
  entropyBits: number;
}

export interface PasswordPolicy {
  check(candidate: string, identity: DeviceIdentity): PolicyVerdict;
}

/** Entropy of a candidate: `len × log2(n)` over the policy alphabet, or over the character classes it uses. */
function candidateEntropyBits(candidate: string, alphabet: string): number {
  const length = [...candidate].length;
  if ([...candidate].every((ch) => alphabet.includes(ch))) return entropyBits(alphabet.length, length);
  return poolEntropyBits(length, classPool(candidate).size);
}

/**
 * Builds the policy once per profile; `check` is the hot path at the station and in `derive`. zxcvbn runs only
 * where its cheap proof (docs/policy.md) cannot show the score the policy requires, or for `exactFigures`.
 *
 * @example
 * const policy = createPasswordPolicy({ manufacturer: 'Acme', model: 'KL-2301 Cam' });
 * const verdict = policy.check(candidate, { serial: 'KL2301-100001', mac: '00:12:bf:91:0b:ec' });
 * if (!verdict.accepted) record(verdict.rule, verdict.reason); // then try the next attempt
 */
export function createPasswordPolicy(options: PasswordPolicyOptions = {}): PasswordPolicy {
  const alphabet = options.alphabet ?? UNAMBIGUOUS56;
  const expectedLength = options.length ?? DEFAULT_LENGTH;
  const thresholds = {
    minZxcvbnScore: options.minZxcvbnScore ?? GUESSABLE_DEFAULTS.minZxcvbnScore,
    minEntropyBits: options.minEntropyBits ?? GUESSABLE_DEFAULTS.minEntropyBits,
    minLength: options.minLength ?? GUESSABLE_DEFAULTS.minLength,
  };
  const chanceLimit = options.chanceLimit ?? 1e-3;
  const exactFigures = (options.figures ?? 'exact') === 'exact';
  const estimator = options.estimator ?? createZxcvbnEstimator();
  const names = [options.manufacturer, options.brand, options.model, ...(options.productNames ?? [])];
  const nameForms = publicNameForms(names);
  const probabilities = foldedSymbolProbabilities(alphabet);
  const matcher = new FragmentMatcher();
  if (!Number.isInteger(expectedLength) || expectedLength < 1)
    throw new RangeError(`"length" expected a positive integer, got ${expectedLength}`);

  return {
    check(candidate, identity) {
      const idForms = fragmentForms(identity, false);
      const userInputs = [...nameForms, ...names.filter((n): n is string => !!n)];
      for (const value of Object.values(identity)) if (value) userInputs.push(value);
      userInputs.push(...idForms);
      const length = [...candidate].length;
      const required = Math.min(thresholds.minZxcvbnScore, estimator.scoreCeiling(length));
      const proven = estimator.proveScore?.(candidate, userInputs, required) ?? null;
      const estimate = proven ?? estimator.estimate(candidate, userInputs);
      const figures = {
        zxcvbnScore: estimate.score,
        log10Guesses: estimate.log10Guesses,
        ...(estimate.bound ? { zxcvbnBound: true as const } : {}),
        entropyBits: candidateEntropyBits(candidate, alphabet),
      };
      const reject = (rule: PolicyRuleId, reason: string): PolicyVerdict => ({
        accepted: false,
        rule,
        reason,
        ...figures,
      });

      const publicMatch = matchPublicPassword(candidate);
      if (publicMatch) {
        const how = publicMatch.how === 'exact' ? 'is' : 'is built on';
        return reject('public-info', `candidate ${how} an entry of the public list ${publicMatch.list}`);
      }
      const folded = candidate.toLowerCase();
      for (const name of nameForms) {
        if (folded.includes(name) && fragmentChance(name.length, length, [name], probabilities) < chanceLimit)
          return reject('public-info', `candidate contains the product name "${name}"`);
      }

      const fragment = matcher.load(candidate).longest(idForms);
      // The matcher searches both directions: the chance counts each form forwards and reversed.
      const bothWays = fragment >= 3 ? fragmentForms(identity) : [];
      if (fragment >= 3 && fragmentChance(fragment, length, bothWays, probabilities) < chanceLimit) {
        return reject(
          'identifier-derived',
          `candidate shares ${fragment} characters with a device identifier (chance under ${chanceLimit})`,
        );
      }
      const hashWindow = findHashWindow(candidate, identity);
      if (hashWindow) {
        return reject('identifier-derived', `candidate is a window of ${describeHypothesis(hashWindow)}`);
      }

      const guessable = judgeGuessable(
        {
          length,
          allDigits: /^[0-9]+$/.test(candidate),
          entropyBits: figures.entropyBits,
          zxcvbn: { score: estimate.score, ceiling: estimator.scoreCeiling(length) },
        },
        thresholds,
      );
      if (guessable) return reject('guessable', guessable.reason);
      if (proven && exactFigures) {
        const exact = estimator.estimate(candidate, userInputs);
        return {
          accepted: true,
          zxcvbnScore: exact.score,
          log10Guesses: exact.log10Guesses,
          entropyBits: figures.entropyBits,
        };
      }
      return { accepted: true, ...figures };
    },
  };
}
