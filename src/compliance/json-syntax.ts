/**
 * Finds where JSON text first goes wrong. Node 20's JSON.parse does not always say ("Unexpected token 'o', ..."
 * carries no position), and a compliance officer editing a record by hand needs the line and column.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Offset of the first syntax error in `text`, or -1 when it is valid JSON. */
export function findJsonSyntaxError(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const skip = (): void => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[at] !== c) fail();
      at++;
    }
  };
  const string = (): void => {
    at++; // opening quote
    while (at < text.length) {
      const c = text[at] as string;
      if (c === '"') return void at++;
      if (c < ' ') fail();
      if (c === '\\') {
        at++;
        const e = text[at];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail();
          at += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) at++;
        else fail();
      } else at++;
    }
    fail();
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail();
    at += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    skip();
    const c = text[at];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  const object = (): void => {
    at++;
    skip();
    if (text[at] === '}') return void at++;
    for (;;) {
      skip();
      if (text[at] !== '"') fail();
      string();
      skip();
      if (text[at] !== ':') fail();
      at++;
      value();
      skip();
      if (text[at] === ',') at++;
      else if (text[at] === '}') return void at++;
      else fail();
    }
  };
  const array = (): void => {
    at++;
    skip();
    if (text[at] === ']') return void at++;
    for (;;) {
      value();
      skip();
      if (text[at] === ',') at++;
      else if (text[at] === ']') return void at++;
      else fail();
    }
  };
  try {
    value();
    skip();
    if (at < text.length) fail();
    return -1;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}
