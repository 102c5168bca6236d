/**
 * Every schema the OpenAPI document lists under `components.schemas`, by name. The rules' and the ledger's
 * schemas are the libraries' own objects: the document references them, it never restates them; the ledger
 * operations' bodies and answers are derived from the ledger's (ledger-schemas.ts).
 */
import type { TSchema } from '@sinclair/typebox';
import {
  ConditionSchema,
  CustomerInputSchema,
  EventInputSchema,
  OrderInputSchema,
  OrderLineInputSchema,
  ProgramSchema,
} from '@purna/rules';
import {
  CustomerViewSchema,
  ExpirySweepAnswerSchema,
  MomentPageSchema,
  MomentsJobAnswerSchema,
  MomentSchema,
  MomentTypeSchema,
  OrderRequestSchema,
  PointsViewSchema,
  QuoteAnswerSchema,
  ReconcileAnswerSchema,
  ReconcileDifferenceSchema,
  ReferralStatusSchema,
  ReturnLineSchema,
  TierViewSchema,
  TransactionPageSchema,
  TransactionSchema,
  UpsertedCustomerSchema,
  WarrantyAnswerSchema,
  WarrantyProductSchema,
  YearlySweepAnswerSchema,
} from '@purna/ledger';
import { ApiKeyListSchema, ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema } from './api-key-schemas.js';
import * as ledger from './ledger-schemas.js';
import { FieldErrorSchema, ProblemSchema } from './problem-schema.js';
import * as program from './program-schemas.js';
import * as warranty from './warranty-contract-schemas.js';

/** Name → schema. */
export const COMPONENT_SCHEMAS: Readonly<Record<string, TSchema>> = {
  Program: ProgramSchema,
  Condition: ConditionSchema,
  OrderInput: OrderInputSchema,
  OrderLineInput: OrderLineInputSchema,
  CustomerInput: CustomerInputSchema,
  EventInput: EventInputSchema,
  ProgramPublished: program.ProgramPublishedSchema,
  ProgramVersion: program.ProgramVersionSchema,
  ProgramVersionSummary: program.ProgramVersionSummarySchema,
  ProgramVersionList: program.ProgramVersionListSchema,
  ProgramValidation: program.ProgramValidationSchema,
  SimulationRequest: program.SimulationRequestSchema,
  SimulationReport: program.SimulationReportSchema,
  Customer: CustomerViewSchema,
  CustomerPoints: PointsViewSchema,
  Tier: TierViewSchema,
  ReferralStatus: ReferralStatusSchema,
  CustomerUpserted: UpsertedCustomerSchema,
  Transaction: TransactionSchema,
  TransactionPage: TransactionPageSchema,
  OrderQuote: QuoteAnswerSchema,
  OrderRequest: OrderRequestSchema,
  OrderRecorded: ledger.OrderRecordedSchema,
  ReturnLine: ReturnLineSchema,
  ReturnRequest: ledger.ReturnBodySchema,
  ReturnRecorded: ledger.ReturnRecordedSchema,
  EventRequest: ledger.EventBodySchema,
  EventRecorded: ledger.EventRecordedSchema,
  RedemptionRequest: ledger.RedemptionBodySchema,
  RedemptionRecorded: ledger.RedemptionRecordedSchema,
  AdjustmentRequest: ledger.AdjustmentBodySchema,
  AdjustmentRecorded: ledger.AdjustmentRecordedSchema,
  // The birthday and the anniversary jobs both answer the ledger's yearly sweep answer, registered once.
  YearlyRewardJob: YearlySweepAnswerSchema,
  ExpiryJob: ExpirySweepAnswerSchema,
  Moment: MomentSchema,
  MomentType: MomentTypeSchema,
  MomentPage: MomentPageSchema,
  MomentsJob: MomentsJobAnswerSchema,
  Reconcile: ReconcileAnswerSchema,
  ReconcileDifference: ReconcileDifferenceSchema,
  WarrantyProduct: WarrantyProductSchema,
  WarrantyRequest: ledger.WarrantyBodySchema,
  WarrantyAnswer: WarrantyAnswerSchema,
  WarrantyContractProduct: warranty.WarrantyContractProductSchema,
  WarrantyContractRequest: warranty.WarrantyContractRequestSchema,
  WarrantyComponentCover: warranty.WarrantyComponentCoverSchema,
  WarrantyContract: warranty.WarrantyContractSchema,
  WarrantyContractPage: warranty.WarrantyContractPageSchema,
  WarrantyTransferRequest: warranty.WarrantyTransferRequestSchema,
  WarrantyTransfer: warranty.WarrantyTransferSchema,
  ReferralCode: ledger.ReferralCodeSchema,
  Problem: ProblemSchema,
  FieldError: FieldErrorSchema,
  ApiKey: ApiKeySchema,
  ApiKeyList: ApiKeyListSchema,
  CreateApiKey: CreateApiKeySchema,
  CreatedApiKey: CreatedApiKeySchema,
};
