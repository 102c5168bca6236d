/** Every `/v1` operation, in the order the document lists them. */
import type { Operation } from '../openapi/operation.js';
import { keyOperations } from './key-operations.js';

/** The `/v1` operations. */
export function apiOperations(): Operation[] {
  return [...keyOperations()];
}
