/**
 * A JSON text that remembers where each value sits, so that a problem reported at a JSON pointer
 * (`/earning/2/award`) can be shown at `program.json:41:7`, the way an editor or a compiler would.
 *
 * Positions come from Microsoft's `jsonc-parser` (the parser behind VS Code's JSON support), used in strict JSON
 * mode: no comments, no trailing commas. The value itself comes from `JSON.parse`, so it is exactly what every
 * other JSON reader sees.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError, type Segment } from 'jsonc-parser';

/** A place in a text: 1-based line and column (in UTF-16 code units, like editors), and the 0-based offset. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** One syntax error of a JSON text, with its position and a sentence. */
export interface JsonSyntaxProblem {
  readonly position: SourcePosition;
  readonly message: string;
}

/** What each parser error means, in words (keyed by jsonc-parser's error names, which are a const enum). */
const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the list',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

/** A JSON text that is not valid JSON, with every syntax problem found. */
export class JsonSyntaxError extends Error {
  readonly problems: readonly JsonSyntaxProblem[];

  constructor(problems: readonly JsonSyntaxProblem[]) {
    const first = problems[0];
    super(first ? `invalid JSON at line ${first.position.line}, column ${first.position.column}: ${first.message}` : 'invalid JSON');
    this.name = 'JsonSyntaxError';
    this.problems = problems;
  }
}

/** Decodes an RFC 6901 pointer into path segments ("/earning/0/award" -> ["earning", "0", "award"]). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new TypeError(`a JSON pointer starts with "/", got ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Line starts of a text, to turn offsets into line and column with a binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * A parsed JSON text with positions.
 *
 * @example
 * const doc = JsonDocument.parse(text);
 * doc.positionOf('/earning/0/award'); // { line: 12, column: 7, offset: 301 }
 */
export class JsonDocument {
  /** The value, as `JSON.parse` gives it. */
  readonly value: unknown;
  readonly #text: string;
  readonly #root: Node;
  readonly #lines: number[];

  private constructor(text: string, value: unknown, root: Node) {
    this.#text = text;
    this.value = value;
    this.#root = root;
    this.#lines = lineStarts(text);
  }

  /** Parses `text` strictly, or throws a {@link JsonSyntaxError} listing every syntax problem with its position. */
  static parse(text: string): JsonDocument {
    // A byte order mark is what some Windows editors put first; JSON.parse refuses it, people do not see it.
    const clean = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
    const errors: ParseError[] = [];
    const root = parseTree(clean, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    if (errors.length > 0 || root === undefined) {
      const lines = lineStarts(clean);
      const problems = errors.map((e) => ({ position: toPosition(lines, e.offset), message: SYNTAX_MESSAGES[printParseErrorCode(e.error)] ?? 'invalid JSON' }));
      throw new JsonSyntaxError(problems.length > 0 ? problems : [{ position: toPosition(lines, 0), message: 'the file is empty' }]);
    }
    return new JsonDocument(clean, JSON.parse(clean), root);
  }

  /**
   * Where the value at `pointer` is. For an object member this is its property name (where a person looks); for a
   * value that does not exist (a missing required property) it is the nearest enclosing value that does.
   */
  positionOf(pointer: string): SourcePosition {
    let path: string[] = pointerSegments(pointer);
    for (;;) {
      const node = findNodeAtLocation(this.#root, this.#segmentsFor(path));
      if (node) {
        const anchor = node.parent?.type === 'property' ? node.parent : node;
        return toPosition(this.#lines, anchor.offset);
      }
      if (path.length === 0) return toPosition(this.#lines, 0);
      path = path.slice(0, -1);
    }
  }

  /** The text of the line `line` (1-based), without its line break, for showing context. */
  lineText(line: number): string {
    const start = this.#lines[line - 1];
    if (start === undefined) return '';
    const end = this.#lines[line] ?? this.#text.length;
    return this.#text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }

  /** Array indices are numbers in jsonc-parser's paths; a pointer gives strings. */
  #segmentsFor(path: readonly string[]): JSONPath {
    const out: Segment[] = [];
    let node: Node | undefined = this.#root;
    for (const segment of path) {
      const asIndex: Segment = node?.type === 'array' && /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
      out.push(asIndex);
      node = node ? findNodeAtLocation(node, [asIndex]) : undefined;
    }
    return out;
  }
}

function toPosition(lines: readonly number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lines[lo] ?? 0) + 1, offset };
}
