/**
 * The device-profile JSON Schema (the file ships in device-profiles/ for editors) and the ajv validator built from
 * it. Structural rules live in the schema; cross-field rules (regexes compile, captures exist, console safety,
 * entropy) live in check-profile.ts.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../device-profiles/device-profile.schema.json' with { type: 'json' };
import { jsonPathOf } from '../errors/json-path.js';

export { schema as deviceProfileSchema };

/** The `store.kind` values the schema knows. */
const STORE_KINDS: readonly string[] = schema.properties.store.properties.kind.enum;

let compiled: ValidateFunction | undefined;

/** The ajv validator for the schema; fills in defaults (`useDefaults`) on the object it validates. */
export function profileSchemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: true }).compile(
    schema,
  );
  return compiled;
}

/** One problem found in a profile: where (a JSON path such as `$.dialogue.write[0].send`) and what was expected. */
export interface ProfileIssue {
  path: string;
  message: string;
}

/** Translates ajv's errors into issues with a path and a plain "expected ..." message. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  for (const e of errors) {
    const at = jsonPathOf(e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        issues.push({ path: `${at}`, message: `unknown key ${JSON.stringify(p['additionalProperty'])}` });
        break;
      case 'required':
        issues.push({ path: at, message: `missing required key ${JSON.stringify(p['missingProperty'])}` });
        break;
      case 'enum':
        issues.push({
          path: at,
          message: `expected one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'const':
        issues.push({ path: at, message: `expected ${JSON.stringify(p['allowedValue'])}` });
        break;
      case 'type':
        issues.push({ path: at, message: `expected ${String(p['type'])}` });
        break;
      case 'pattern':
        issues.push({ path: at, message: `expected a string matching /${String(p['pattern'])}/` });
        break;
      case 'discriminator':
        issues.push({
          path: `${at}.${String(p['tagName'])}`,
          message:
            p['error'] === 'mapping'
              ? `expected one of ${STORE_KINDS.map((k) => JSON.stringify(k)).join(', ')}`
              : `expected the key ${JSON.stringify(p['tagName'])} as a string`,
        });
        break;
      default:
        issues.push({ path: at, message: `expected a value that ${e.message ?? 'matches the schema'}` });
    }
  }
  return dedupe(issues);
}

function dedupe(issues: ProfileIssue[]): ProfileIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
