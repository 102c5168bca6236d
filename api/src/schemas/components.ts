/**
 * Every schema the OpenAPI document lists under `components.schemas`, by name. The rules' schemas are the
 * library's own objects: the document references them, it never restates them.
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
  Customer: ledger.CustomerViewSchema,
  CustomerPoints: ledger.PointsViewSchema,
  CustomerUpserted: ledger.CustomerUpsertedSchema,
  Transaction: ledger.TransactionSchema,
  TransactionPage: ledger.TransactionPageSchema,
  OrderQuote: ledger.OrderQuoteSchema,
  OrderRecorded: ledger.OrderRecordedSchema,
  ReturnRequest: ledger.ReturnRequestSchema,
  ReturnRecorded: ledger.ReturnRecordedSchema,
  EventRequest: ledger.EventRequestSchema,
  EventRecorded: ledger.EventRecordedSchema,
  RedemptionRequest: ledger.RedemptionRequestSchema,
  RedemptionRecorded: ledger.RedemptionRecordedSchema,
  AdjustmentRequest: ledger.AdjustmentRequestSchema,
  AdjustmentRecorded: ledger.AdjustmentRecordedSchema,
  BirthdayJob: ledger.BirthdayJobSchema,
  ExpiryJob: ledger.ExpiryJobSchema,
  Reconcile: ledger.ReconcileSchema,
  WarrantyProduct: ledger.WarrantyProductSchema,
  WarrantyRequest: ledger.WarrantyRequestSchema,
  WarrantyAnswer: ledger.WarrantyAnswerSchema,
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
