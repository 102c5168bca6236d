/** Version of the rules engine, recorded with every ledger entry next to the program version. */
export const RULES_VERSION = '0.1.0';
