/**
 * Reading a program file for the CLI: the text, its positions, and `parseProgram`'s verdict, with every problem
 * placed at `file:line:column` as well as its JSON pointer.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseProgram, ProgramError, type Program } from '@purna/rules';
import { CliError } from '../cli-error.js';
import { JsonDocument, JsonSyntaxError } from '../json-document.js';

/** How serious a finding is: an error makes the program unusable, a warning is suspicious but valid. */
export type Severity = 'error' | 'warning';

/** One finding about a program file, placed in the file. */
export interface Finding {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** RFC 6901 pointer of the value concerned ("" for the whole document, or for a JSON syntax error). */
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** A program file read and checked. `program` is set when there are no errors. */
export interface CheckedProgramFile {
  readonly file: string;
  readonly document: JsonDocument | undefined;
  readonly program: Program | undefined;
  readonly errors: readonly Finding[];
}

/** Reads a file's text, or throws a CliError that says which file and why. */
export async function readTextFile(path: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new CliError(`cannot read ${path}: ${why}`);
  }
}

/**
 * Reads `path` and validates it with `parseProgram`. A JSON syntax error or a ProgramError becomes findings; any
 * other failure propagates.
 *
 * @example
 * const { program, errors } = await checkProgramFile('program.json', process.cwd());
 */
export async function checkProgramFile(path: string, cwd: string): Promise<CheckedProgramFile> {
  const text = await readTextFile(path, cwd);
  let document: JsonDocument;
  try {
    document = JsonDocument.parse(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const errors = error.problems.map((p) => ({
      severity: 'error' as const,
      file: path,
      line: p.position.line,
      column: p.position.column,
      pointer: '',
      code: 'invalid-json',
      message: p.message,
    }));
    return { file: path, document: undefined, program: undefined, errors };
  }
  try {
    return { file: path, document, program: parseProgram(document.value), errors: [] };
  } catch (error) {
    if (!(error instanceof ProgramError)) throw error;
    const errors = error.errors.map((problem) => placeFinding('error', path, document, problem));
    return { file: path, document, program: undefined, errors };
  }
}

/** A problem at a pointer, placed at its line and column in the document. */
export function placeFinding(severity: Severity, file: string, document: JsonDocument, problem: { pointer: string; code: string; message: string }): Finding {
  const { line, column } = document.positionOf(problem.pointer);
  return { severity, file, line, column, pointer: problem.pointer, code: problem.code, message: problem.message };
}

/**
 * Reads a program that must be valid (for simulate and explain): answers it, or throws a CliError listing every
 * error at its position.
 */
export async function loadProgramFile(path: string, cwd: string): Promise<Program> {
  const checked = await checkProgramFile(path, cwd);
  if (checked.program) return checked.program;
  throw new CliError(`${path} is not a valid program:\n${checked.errors.map(formatFinding).join('\n')}\nRun "purna validate ${path}" for details.`);
}

/** `program.json:12:7: error invalid-award at /earning/0/award: an award needs ...` */
export function formatFinding(finding: Finding): string {
  const where = finding.pointer === '' ? '' : ` at ${finding.pointer}`;
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.severity} ${finding.code}${where}: ${finding.message}`;
}
