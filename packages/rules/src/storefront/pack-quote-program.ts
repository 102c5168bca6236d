/**
 * packQuoteProgram: the server (or build) side of quote-program.ts, kept apart because it runs parseProgram, whose
 * schema validator a storefront must not load.
 */
import { parseProgram, type ParseProgramOptions } from '../program/parse-program.js';
import { RULES_VERSION } from '../version.js';
import { QUOTE_PROGRAM_FORMAT, type QuoteProgram } from './quote-program.js';

/** Options of {@link packQuoteProgram}. */
export interface PackQuoteProgramOptions extends ParseProgramOptions {
  /** The published version of the program, recorded in quote snapshots. Default: the program's own `version`. */
  readonly version?: number;
}

/**
 * Checks a program with parseProgram (throws its ProgramError) and packs it for `@purna/rules/quote`'s
 * reviveQuoteProgram. `JSON.stringify` the result and serve it, or write it at build time.
 *
 * @example
 * const packed = packQuoteProgram(await readFile('program.json', 'utf8'), { version: 3 });
 * await writeFile('public/program.quote.json', JSON.stringify(packed));
 */
export function packQuoteProgram(json: unknown, options: PackQuoteProgramOptions = {}): QuoteProgram {
  const program = parseProgram(json, options);
  return { format: QUOTE_PROGRAM_FORMAT, rulesVersion: RULES_VERSION, version: options.version ?? program.version ?? null, program };
}
