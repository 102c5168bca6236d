/** Published addresses of the schemas. Absolute references keep them valid when embedded (e.g. in OpenAPI). */

/** Where the program schema is published (`"$schema"` of a program file). */
export const PROGRAM_SCHEMA_ID = 'https://purna.dev/schemas/program.v1.json';
/** Where the recursive condition schema lives: `$defs/condition` of the program schema. */
export const CONDITION_SCHEMA_REF = `${PROGRAM_SCHEMA_ID}#/$defs/condition`;
