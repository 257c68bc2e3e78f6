/**
 * A read-only trie of ASCII words with a number per word, packed into typed arrays (an open-addressing table of
 * edges `node × 128 + char`), so that walking it allocates nothing: about 6 MB for zxcvbn's 94,000 words.
 */
export class WordTrie {
  /** The value of the root's node id's word: `step` from it. */
  static readonly ROOT = 0;
  private readonly keys: Int32Array;
  private readonly children: Int32Array;
  private readonly mask: number;
  /** Per node: the value given for the word ending there, or NaN when no word ends there. */
  readonly values: Float64Array;

  /**
   * `words[k]` gets `values[k]` (a word given twice: the lower). Built in the words' sorted order, so no map of
   * edges is needed.
   */
  constructor(words: readonly string[], wordValues: readonly number[]) {
    const order = new Int32Array(words.length).map((_, k) => k);
    order.sort((x, y) => {
      const a = words[x] ?? '';
      const b = words[y] ?? '';
      return a < b ? -1 : a > b ? 1 : 0;
    });
    const shared = (a: string, b: string): number => {
      let k = 0;
      while (k < a.length && k < b.length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
      return k;
    };
    let nodes = 1;
    let previous = '';
    for (const k of order) {
      const word = words[k] ?? '';
      nodes += word.length - shared(previous, word);
      previous = word;
    }
    let capacity = 1024;
    while (capacity < nodes * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity).fill(-1);
    this.children = new Int32Array(capacity);
    this.values = new Float64Array(nodes).fill(NaN);
    // path[k]: the node of the previous word's first k characters.
    const path = [0];
    let next = 1;
    previous = '';
    for (const k of order) {
      const word = words[k] ?? '';
      const value = wordValues[k] ?? NaN;
      const common = shared(previous, word);
      for (let k = common; k < word.length; k++) {
        const code = word.charCodeAt(k);
        if (code >= 128) throw new RangeError(`"word" expected ASCII, got ${JSON.stringify(word)}`);
        const key = (path[k] ?? 0) * 128 + code;
        let slot = this.hash(key);
        while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask;
        this.keys[slot] = key;
        this.children[slot] = next;
        path[k + 1] = next++;
      }
      const end = path[word.length] ?? 0;
      const old = this.values[end] ?? NaN;
      this.values[end] = Number.isNaN(old) ? value : Math.min(old, value);
      previous = word;
    }
  }

  /** The node reached from `node` by the character `code`, or -1. */
  step(node: number, code: number): number {
    if (code >= 128) return -1;
    const key = node * 128 + code;
    for (let slot = this.hash(key); ; slot = (slot + 1) & this.mask) {
      const found = this.keys[slot];
      if (found === key) return this.children[slot] ?? -1;
      if (found === -1 || found === undefined) return -1;
    }
  }

  private hash(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 0) & this.mask;
  }
}
