/** The whole program: one JSON document a marketer writes. Types derive from this schema, never the other way. */
import { Type, type Static } from '@sinclair/typebox';
import { ConditionDefinition } from './condition-schema.js';
import { PROGRAM_SCHEMA_ID } from './schema-ids.js';
import { BirthdayProgramSchema } from './birthday-section.js';
import { EarningRuleSchema } from './earning-rule.js';
import { EventRuleSchema } from './event-rule.js';
import { GoodwillSectionSchema } from './goodwill-section.js';
import { PointsSectionSchema } from './points-section.js';
import { MomentsSectionSchema } from './moments-section.js';
import { IdSchema, NameSchema, TimeZoneSchema } from './primitives.js';
import { ReferralProgramSchema } from './referral-section.js';
import { ReturnsSectionSchema } from './returns-section.js';
import { RewardsSectionSchema } from './rewards-section.js';
import { TiersSectionSchema } from './tiers-section.js';
import { WarrantyProgramSchema } from './warranty-section.js';


/**
 * JSON Schema (draft 2020-12) of a program.
 *
 * @example
 * import { ProgramSchema } from '@purna/rules';
 * openapi.components.schemas.Program = ProgramSchema;
 */
export const ProgramSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ maxLength: 200, description: 'the schema address "https://purna.dev/schemas/program.v1.json"' })),
    id: IdSchema,
    name: NameSchema,
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'a text of at most 2000 characters' })),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'a whole number of 1 or more' })),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'a three-letter ISO 4217 currency code like "IDR"', examples: ['IDR', 'PHP', 'USD'] }),
    timezone: TimeZoneSchema,
    points: PointsSectionSchema,
    tiers: Type.Optional(TiersSectionSchema),
    earning: Type.Array(EarningRuleSchema, { maxItems: 1000, description: 'a list of at most 1000 earning rules' }),
    events: Type.Optional(Type.Array(EventRuleSchema, { maxItems: 500, description: 'a list of at most 500 event rules' })),
    referral: Type.Optional(ReferralProgramSchema),
    birthday: Type.Optional(BirthdayProgramSchema),
    anniversary: Type.Optional(BirthdayProgramSchema),
    warranty: Type.Optional(WarrantyProgramSchema),
    moments: Type.Optional(MomentsSectionSchema),
    goodwill: Type.Optional(GoodwillSectionSchema),
    returns: Type.Optional(ReturnsSectionSchema),
    rewards: Type.Optional(RewardsSectionSchema),
  },
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: PROGRAM_SCHEMA_ID,
    title: 'Purna loyalty program',
    additionalProperties: false,
    $defs: { condition: ConditionDefinition },
    description: 'a Purna program {"id", "name", "currency", "timezone", "points", "earning"}',
  },
);
/** A validated program (what parseProgram returns). */
export type Program = Static<typeof ProgramSchema>;

/** The same schema under the name docs/architecture.md uses. */
export const programSchema = ProgramSchema;
