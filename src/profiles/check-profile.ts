/**
 * Profile validation: parse → schema (structure, unknown keys, defaults) → cross-field rules → normalised profile.
 * Returns `{ profile }` or `{ issues }`, each issue with a JSON path and what was expected. No I/O here.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  assertAlphabet,
  assertLength,
  assertPolicyEntropy,
  resolveAlphabet,
  toHex,
  utf8Bytes,
} from '../derive/index.js';
import { CredlineError } from '../errors/credline-error.js';
import { canonicalJson } from './canonical-json.js';
import { unquotableCharacters } from './console-safety.js';
import { describeSchemaErrors, profileSchemaValidator, type ProfileIssue } from './profile-schema.js';
import type { DeviceProfile, DialogueStep, LoadedProfile } from './profile-types.js';
import { storedValueSymbols } from './stored-value.js';

/** Placeholders a `send` line may use, per dialogue phase. */
const TEMPLATE_VARIABLES: Record<string, readonly string[]> = {
  identify: [],
  assignSerial: ['serial', 'nonce'],
  write: ['serial', 'nonce', 'value'],
  verify: ['serial', 'nonce', 'value', 'challenge'],
  commit: ['serial', 'nonce'],
  loginCheck: ['serial', 'nonce', 'password'],
  lock: ['serial', 'nonce'],
  report: ['serial', 'nonce', 'result', 'reason'],
};

export type ProfileCheck = { loaded: LoadedProfile; issues?: undefined } | { issues: ProfileIssue[] };

/**
 * Validates parsed profile JSON. `source` names the file in messages and in the result.
 *
 * @example
 * const r = checkProfile(JSON.parse(text), 'device-profiles/u-boot.json');
 * if (r.issues) for (const i of r.issues) console.log(`${i.path}: ${i.message}`);
 */
export function checkProfile(json: unknown, source: string): ProfileCheck {
  const data = structuredClone(json);
  const validate = profileSchemaValidator();
  if (!validate(data)) return { issues: describeSchemaErrors(validate.errors ?? []) };
  const raw = data as Record<string, unknown>;
  const issues: ProfileIssue[] = [];
  const profile = normalise(raw, issues);
  if (issues.length > 0) return { issues };
  const hash = toHex(sha256(utf8Bytes(canonicalJson(hashedForm(raw)))));
  return { loaded: { profile, source, hash } };
}

/** The object hashed: the validated profile (schema defaults filled in) without `$schema`, an editor hint. */
function hashedForm(validated: Record<string, unknown>): Record<string, unknown> {
  const hashed = { ...validated };
  delete hashed['$schema'];
  return hashed;
}

/**
 * What a profile's hash is taken over, for someone re-computing it: the parsed file with the schema's defaults
 * filled in, without `$schema`. The hash is SHA-256 of its canonical JSON (keys sorted, no white space).
 *
 * @example sha256(canonicalJson(profileHashInput(JSON.parse(text)))) === loaded.hash
 */
export function profileHashInput(json: unknown): Record<string, unknown> | undefined {
  const data = structuredClone(json);
  const validate = profileSchemaValidator();
  return validate(data) ? hashedForm(data as Record<string, unknown>) : undefined;
}

/** Like {@link checkProfile} but throws one CredlineError (exit 2) naming the file, path and first problem. */
export function parseProfile(json: unknown, source: string): LoadedProfile {
  const result = checkProfile(json, source);
  if (result.issues) throw profileError(source, result.issues);
  return result.loaded;
}

export function profileError(source: string, issues: readonly ProfileIssue[]): CredlineError {
  const first = issues[0] ?? { path: '$', message: 'invalid profile' };
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem(s); run credline profiles validate)` : '';
  return new CredlineError('PROFILE_INVALID', `${source}: ${first.path}: ${first.message}${more}`);
}

function normalise(raw: Record<string, unknown>, issues: ProfileIssue[]): DeviceProfile {
  // The schema has checked the structure and filled in defaults, so the casts below are safe.
  const p = raw as unknown as DeviceProfile & { passwordPolicy: { alphabet: string } };
  const alphabetSpec = p.passwordPolicy.alphabet;
  const alphabet = resolveAlphabet(alphabetSpec);
  const policy = p.passwordPolicy;
  tryRule(issues, '$.passwordPolicy.alphabet', () => assertAlphabet(alphabet));
  tryRule(issues, '$.passwordPolicy.length', () => assertLength(policy.length));
  tryRule(issues, '$.passwordPolicy.minEntropyBits', () =>
    assertPolicyEntropy(alphabet, policy.length, policy.minEntropyBits),
  );
  const console = p.console;
  const badInAlphabet = unquotableCharacters(alphabet, console);
  if (badInAlphabet.length > 0) {
    issues.push({
      path: '$.passwordPolicy.alphabet',
      message:
        `the alphabet holds ${badInAlphabet.map((c) => JSON.stringify(c)).join(' ')}, which this console ` +
        `interprets and quoting "${console.quoting}" cannot protect: remove them or change $.console.quoting`,
    });
  }
  const storedSymbols = storedValueSymbols(p.store);
  if (storedSymbols !== undefined) {
    const badInStored = unquotableCharacters(storedSymbols, console);
    if (badInStored.length > 0) {
      issues.push({
        path: '$.store.kind',
        message: `the ${p.store.kind === 'pbkdf2-sha256' ? 'verifier text' : 'crypt string'} uses ${badInStored.map((c) => JSON.stringify(c)).join(' ')}, which this console cannot take literally`,
      });
    }
  }
  for (const key of ['serial', 'mac', 'firmware'] as const) {
    const field = p.identity[key];
    if (field) checkRegex(issues, `$.identity.${key}.pattern`, field.pattern);
  }
  const d = p.dialogue;
  if (d.prompt !== undefined) checkRegex(issues, '$.dialogue.prompt', d.prompt);
  const prompted = d.prompt !== undefined;
  checkSteps(issues, 'identify', d.identify, prompted);
  checkSteps(issues, 'write', d.write, prompted);
  checkSteps(issues, 'verify', [d.verify], prompted, true);
  checkSteps(issues, 'commit', d.commit ?? [], prompted);
  checkSteps(issues, 'loginCheck', d.loginCheck ?? [], prompted);
  checkSteps(issues, 'lock', d.lock ?? [], prompted);
  if (d.assignSerial) {
    checkSteps(issues, 'assignSerial', d.assignSerial, prompted);
    if (!d.assignSerial.some((s) => s.send.includes('{{serial}}')))
      issues.push({
        path: '$.dialogue.assignSerial',
        message: 'expected a step whose send line carries {{serial}}',
      });
  }
  if (d.report)
    checkTemplate(issues, '$.dialogue.report.send', d.report.send, TEMPLATE_VARIABLES['report'] ?? []);
  const identifyCaptures = new Set(d.identify.flatMap((s) => captureNames(s.expect ?? '')));
  if (!identifyCaptures.has('serial')) {
    issues.push({
      path: '$.dialogue.identify',
      message: 'expected a step whose expect regex captures (?<serial>...)',
    });
  }
  for (const key of ['mac', 'firmware'] as const) {
    if (p.identity[key] && !identifyCaptures.has(key)) {
      issues.push({
        path: `$.identity.${key}`,
        message: `declared, but no identify step captures (?<${key}>...)`,
      });
    }
  }
  if (!d.write.some((s) => s.send.includes('{{value}}'))) {
    issues.push({ path: '$.dialogue.write', message: 'expected a step whose send line carries {{value}}' });
  }
  if (!captureNames(d.verify.expect).includes(d.verify.readback.capture)) {
    issues.push({
      path: '$.dialogue.verify.readback.capture',
      message: `expected the name of a capture in $.dialogue.verify.expect; it has no (?<${d.verify.readback.capture}>...)`,
    });
  }
  if (d.verify.readback.compare === 'sha256-challenge' && !d.verify.send.includes('{{challenge}}')) {
    issues.push({
      path: '$.dialogue.verify.send',
      message: 'compare "sha256-challenge" needs {{challenge}} in send',
    });
  }
  return {
    schemaVersion: 1,
    id: p.id,
    revision: p.revision,
    ...(p.description === undefined ? {} : { description: p.description }),
    product: p.product,
    serialPort: p.serialPort,
    identity: p.identity,
    canonicalisation: p.canonicalisation,
    passwordPolicy: { ...policy, alphabetSpec, alphabet },
    store: p.store,
    console,
    dialogue: {
      ...d,
      commit: d.commit ?? [],
      loginCheck: d.loginCheck ?? [],
      lock: d.lock ?? [],
      ...(d.report ? { report: { send: d.report.send, timeoutMs: d.report.timeoutMs ?? 1000 } } : {}),
    },
  };
}

function tryRule(issues: ProfileIssue[], path: string, rule: () => void): void {
  try {
    rule();
  } catch (error) {
    issues.push({ path, message: error instanceof Error ? error.message : String(error) });
  }
}

function checkSteps(
  issues: ProfileIssue[],
  phase: string,
  steps: readonly DialogueStep[],
  prompted: boolean,
  single = false,
): void {
  steps.forEach((step, i) => {
    const at = single ? `$.dialogue.${phase}` : `$.dialogue.${phase}[${i}]`;
    if (step.prompt !== undefined) checkRegex(issues, `${at}.prompt`, step.prompt);
    if (step.expect !== undefined) checkRegex(issues, `${at}.expect`, step.expect);
    else if (!prompted && step.prompt === undefined)
      issues.push({ path: `${at}.expect`, message: 'expected a regex (or set $.dialogue.prompt)' });
    if (step.fail !== undefined) checkRegex(issues, `${at}.fail`, step.fail);
    checkTemplate(issues, `${at}.send`, step.send, TEMPLATE_VARIABLES[phase] ?? []);
  });
}

function checkRegex(issues: ProfileIssue[], path: string, source: string): void {
  try {
    new RegExp(source);
  } catch (error) {
    issues.push({ path, message: `expected a valid regular expression: ${(error as Error).message}` });
  }
}

function checkTemplate(issues: ProfileIssue[], path: string, send: string, allowed: readonly string[]): void {
  for (const m of send.matchAll(/\{\{([^}]*)\}\}/g)) {
    const name = m[1] ?? '';
    if (!allowed.includes(name)) {
      const list = allowed.length > 0 ? allowed.map((a) => `{{${a}}}`).join(', ') : 'no placeholders';
      issues.push({ path, message: `unknown placeholder {{${name}}}: this step may use ${list}` });
    }
  }
  if (/[\r\n]/.test(send))
    issues.push({ path, message: 'expected one line: the line ending is added for you' });
}

/** The named capture groups of a regex source, e.g. `(?<serial>...)` → `serial`. */
export function captureNames(source: string): string[] {
  return [...source.matchAll(/\(\?<([A-Za-z][A-Za-z0-9]*)>/g)].map((m) => m[1] ?? '');
}
