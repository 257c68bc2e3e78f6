/**
 * Validation results shared by the compliance module: `{ value } | { issues }`, each issue naming the JSON path
 * (`$.manufacturers[0].address`) and what was expected.
 */
import type { ErrorObject } from 'ajv';
import { usageError, type CredlineError } from '../errors/credline-error.js';
import { jsonPathOf } from '../errors/json-path.js';

export interface ValidationIssue {
  /** JSON path, `$` for the document itself. */
  path: string;
  message: string;
}

export type ValidationResult<T> =
  { value: T; issues?: undefined } | { value?: undefined; issues: ValidationIssue[] };

/** Appends `.key` (or `[n]`) to a JSON path. */
export function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}

/** One readable issue per ajv error; `if`/`then` wrapper errors are dropped (their causes are reported). */
export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors ?? []) {
    const path = jsonPathOf(error.instancePath);
    switch (error.keyword) {
      case 'if':
        continue;
      case 'required':
        issues.push({
          path: childPath(path, String(error.params['missingProperty'])),
          message: 'is required',
        });
        break;
      case 'additionalProperties':
        issues.push({
          path: childPath(path, String(error.params['additionalProperty'])),
          message: 'is not a known key (check the spelling)',
        });
        break;
      case 'enum':
        issues.push({
          path,
          message: `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'const':
        issues.push({ path, message: `must be ${JSON.stringify(error.params['allowedValue'])}` });
        break;
      case 'pattern':
        issues.push({ path, message: describePattern(String(error.params['pattern'])) });
        break;
      default:
        issues.push({ path, message: error.message ?? error.keyword });
    }
  }
  return dedupeIssues(issues);
}

function describePattern(pattern: string): string {
  if (pattern === '^\\d{4}-\\d{2}-\\d{2}$') return 'must be a date written YYYY-MM-DD';
  if (pattern === '^\\d{4}-\\d{2}(-\\d{2})?$') return 'must be a date written YYYY-MM or YYYY-MM-DD';
  if (pattern === '\\S') return 'must not be blank';
  if (pattern.startsWith('^https://')) return 'must be an https:// URL';
  if (pattern.includes('@')) return 'must be an e-mail address';
  if (pattern.startsWith('^\\+?[0-9')) return 'must be a telephone number (digits, spaces, +, -, brackets)';
  return `must match ${pattern}`;
}

function dedupeIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One error listing every issue, one per line, each prefixed with `where`. */
export function issuesError(code: string, where: string, issues: readonly ValidationIssue[]): CredlineError {
  const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
  return usageError(code, `${where}: ${issues.length} problem(s):\n${lines.join('\n')}`);
}
