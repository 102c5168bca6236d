/** Barrel of the program schema and its derived types. */
export { ProgramSchema, programSchema, type Program } from './program-schema.js';
export { PROGRAM_SCHEMA_ID, CONDITION_SCHEMA_REF } from './schema-ids.js';
export { ConditionSchema, ConditionDefinition, OPERATORS, type Operator, type Condition, type ConditionValue, type FactCondition, type AllCondition, type AnyCondition, type NotCondition } from './condition-schema.js';
export { PointsSectionSchema, ROUNDING_MODES, PENDING_FROM, type PointsSection } from './points-section.js';
export { ReturnsSectionSchema, RETURN_WINDOW_FROM, type ReturnsSection } from './returns-section.js';
export { TiersSectionSchema, TierLevelSchema, TierBenefitsSchema, TIER_BASES, TIER_WINDOWS, type TiersSection, type TierLevel, type TierBenefits } from './tiers-section.js';
export { EarningRuleSchema, AwardSchema, RuleCapSchema, RULE_SCOPES, STACKING_MODES, type EarningRule, type Award, type PointsPerAward, type FixedPointsAward, type MultiplierAward, type RuleCap } from './earning-rule.js';
export { EventRuleSchema, type EventRule } from './event-rule.js';
export { ReferralProgramSchema, type ReferralProgram } from './referral-section.js';
export { BirthdayProgramSchema, BIRTHDAY_WINDOWS, LEAP_DAY_RULES, type BirthdayProgram, type AnniversaryProgram } from './birthday-section.js';
export { MomentsSectionSchema, LeadDaysSchema, momentLeadTimes, type MomentsSection, type MomentLeadTimes } from './moments-section.js';
export { WarrantyProgramSchema, WarrantyPlanSchema, WARRANTY_STARTS, type WarrantyProgram, type WarrantyPlan } from './warranty-section.js';
export { LineFilterSchema, PeriodSchema, PeriodLimitSchema, ValiditySchema, type LineFilter, type Period, type PeriodLimit, type Validity } from './primitives.js';
export { OrderInputSchema, OrderLineInputSchema, type OrderInput, type OrderLineInput } from '../input/order-input.js';
export { ManufacturerWarrantySchema, type ManufacturerWarranty } from '../input/manufacturer-warranty.js';
export { CustomerInputSchema, type CustomerInput } from '../input/customer-input.js';
export { CustomerHistorySchema, HistoryOrderSchema, type CustomerHistory, type HistoryOrder } from '../input/customer-history.js';
export { EventInputSchema, type EventInput } from '../input/event-input.js';
