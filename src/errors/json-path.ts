/**
 * JSON paths in error messages (`$.dialogue.write[0].send`): what every validator (profiles, product records)
 * names when it says where a document is wrong.
 */

/** Turns a JSON pointer (`/dialogue/write/0`) into a JSON path (`$.dialogue.write[0]`). */
export function jsonPathOf(pointer: string): string {
  if (pointer === '') return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) =>
        /^\d+$/.test(part)
          ? `[${part}]`
          : /^[A-Za-z_$][\w$]*$/.test(part)
            ? `.${part}`
            : `[${JSON.stringify(part)}]`,
      )
      .join('')
  );
}
