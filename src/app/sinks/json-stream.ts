/**
 * A small streaming JSON serializer: the document is written as it is produced (an object's fields, an array's
 * elements), never assembled whole. Arrays of records are laid out one element per line (`[\n{…},\n{…}\n]`), the
 * layout of `assess --format json`. Text accumulates until `take()` hands it to the writer, so a document's head can
 * wait for its first element (nothing is written before the inputs are opened).
 */
interface Level {
  readonly array: boolean;
  first: boolean;
}

export class JsonStreamWriter {
  private pending = '';
  private readonly stack: Level[] = [];

  /** Opens the document's root object, or an object as the value of the key just written. */
  openObject(): this {
    this.pending += '{';
    this.stack.push({ array: false, first: true });
    return this;
  }

  /** A key of the current object; its value follows (`value`, `openArray`, `openObject`). */
  key(name: string): this {
    const top = this.top(false);
    this.pending += (top.first ? '' : ',') + JSON.stringify(name) + ':';
    top.first = false;
    return this;
  }

  /** A value after `key`, serialized with `JSON.stringify`. */
  value(v: unknown): this {
    this.pending += JSON.stringify(v);
    return this;
  }

  /** `key` then `value`. */
  field(name: string, v: unknown): this {
    return this.key(name).value(v);
  }

  openArray(): this {
    this.pending += '[';
    this.stack.push({ array: true, first: true });
    return this;
  }

  /** An element of the current array, already serialized (a row serializer may drop or rename fields). */
  element(json: string): this {
    const top = this.top(true);
    this.pending += (top.first ? '\n' : ',\n') + json;
    top.first = false;
    return this;
  }

  closeArray(): this {
    this.top(true);
    this.stack.pop();
    this.pending += '\n]';
    return this;
  }

  /** Closes the current object; the root object ends the document with a line feed. */
  closeObject(): this {
    this.top(false);
    this.stack.pop();
    this.pending += this.stack.length === 0 ? '}\n' : '}';
    return this;
  }

  /** The text produced since the last call. */
  take(): string {
    const s = this.pending;
    this.pending = '';
    return s;
  }

  private top(array: boolean): Level {
    const top = this.stack[this.stack.length - 1];
    if (!top || top.array !== array) throw new Error(`JSON writer: not inside an ${array ? 'array' : 'object'}`);
    return top;
  }
}
