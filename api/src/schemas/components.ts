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
import { FieldErrorSchema, ProblemSchema } from './problem-schema.js';

/** Name → schema. */
export const COMPONENT_SCHEMAS: Readonly<Record<string, TSchema>> = {
  Program: ProgramSchema,
  Condition: ConditionSchema,
  OrderInput: OrderInputSchema,
  OrderLineInput: OrderLineInputSchema,
  CustomerInput: CustomerInputSchema,
  EventInput: EventInputSchema,
  Problem: ProblemSchema,
  FieldError: FieldErrorSchema,
  ApiKey: ApiKeySchema,
  ApiKeyList: ApiKeyListSchema,
  CreateApiKey: CreateApiKeySchema,
  CreatedApiKey: CreatedApiKeySchema,
};
