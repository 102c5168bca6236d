/** Validates a draft program with the rules' own parser, answering problems instead of throwing them. */
import { parseProgram, ProgramError } from '@purna/rules';

/**
 * `{ valid, errors }` for a draft.
 *
 * @example
 * validateProgramDraft({ id: 'x' }) // { valid: false, errors: [{ pointer: '/name', ... }, ...] }
 */
export function validateProgramDraft(draft: unknown): { valid: boolean; errors: Array<{ pointer: string; code: string; message: string }> } {
  try {
    parseProgram(draft);
    return { valid: true, errors: [] };
  } catch (error) {
    if (error instanceof ProgramError) {
      return { valid: false, errors: error.errors.map(({ pointer, code, message }) => ({ pointer, code, message })) };
    }
    throw error;
  }
}
