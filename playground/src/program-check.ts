/**
 * The program's problems at places in its text: JSON syntax errors from jsonc-parser (with their offsets), else
 * every problem `parseProgram` lists, its JSON pointer turned into the range of the text it points at. The editor
 * underlines the ranges; the list under it names line and column.
 */
import { ProgramError, parseProgram, type Problem, type Program } from '@purna/rules';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError, type Segment } from 'jsonc-parser';

/** A problem of the program with the part of the text it is about (offsets; line and column from 1). */
export interface PlacedProblem {
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly column: number;
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** The program, when valid, and its problems otherwise. */
export interface ProgramCheck {
  readonly program: Program | undefined;
  readonly problems: readonly PlacedProblem[];
}

/** Line and column (from 1) of an offset of `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The path of a JSON pointer ("/earning/0/award" → ["earning", 0, "award"]), numbers where the tree has an array. */
function pointerPath(pointer: string, tree: Node | undefined): Segment[] {
  if (pointer === '') return [];
  const path: Segment[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const parent = tree ? findNodeAtLocation(tree, path) : undefined;
    path.push(parent?.type === 'array' && /^\d+$/.test(token) ? Number(token) : token);
  }
  return path;
}

/**
 * The range a pointer points at: a scalar value whole; a property's name when the problem is the field itself (an
 * unknown field, `nameOnly`) or its value is an object or array (rather than the whole block); else the opening
 * bracket. A pointer to something missing points at its nearest ancestor that exists.
 */
export function pointerRange(tree: Node | undefined, pointer: string, nameOnly = false): { from: number; to: number } {
  if (!tree) return { from: 0, to: 0 };
  const path = pointerPath(pointer, tree);
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    if (!node) continue;
    const block = node.type === 'object' || node.type === 'array';
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    if (key && (block || (nameOnly && length === path.length))) return { from: key.offset, to: key.offset + key.length };
    return block ? { from: node.offset, to: node.offset + 1 } : { from: node.offset, to: node.offset + node.length };
  }
  return { from: 0, to: 1 };
}

function placed(text: string, range: { from: number; to: number }, problem: Problem): PlacedProblem {
  return { ...range, ...lineColumn(text, range.from), pointer: problem.pointer, code: problem.code, message: problem.message };
}

/**
 * Checks the program text: its JSON syntax, then everything parseProgram checks.
 *
 * @example checkProgramText('{"id": 1}').problems[0] // { line: 1, column: 2, pointer: '/id', message: 'id must be …' }
 */
export function checkProgramText(text: string): ProgramCheck {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    return {
      program: undefined,
      problems: errors.map((e) => placed(text, { from: e.offset, to: e.offset + Math.max(e.length, 1) }, { pointer: '', code: 'invalid-json', message: `not valid JSON: ${printParseErrorCode(e.error)}` })),
    };
  }
  try {
    return { program: parseProgram(text), problems: [] };
  } catch (error) {
    if (!(error instanceof ProgramError)) throw error;
    const problems = error.errors.map((p) => placed(text, pointerRange(tree, p.pointer, p.code === 'unknown-field'), p));
    return { program: undefined, problems: problems.sort((a, b) => a.from - b.from) };
  }
}
