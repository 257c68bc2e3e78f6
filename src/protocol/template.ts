/**
 * Fills a profile's `send` line: `{{name}}` is replaced by `values[name]`. Profile validation has already refused
 * unknown placeholders, so a missing value here is a bug.
 *
 * @example renderTemplate('SETVER {{value}}', { value: 'pbkdf2-sha256:…' }) // 'SETVER pbkdf2-sha256:…'
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([A-Za-z]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new RangeError(`template placeholder {{${name}}} has no value`);
    return value;
  });
}
