/**
 * THE operator table: what each operator means, which fact types it accepts, and the shape of its operand. The
 * condition compiler and parseProgram both read it, so an operator is declared once.
 */
import type { FactType } from './facts.js';
import { compareOperand, equalsOperand, isPresent, type Operand } from './operand.js';

/** Every comparison operator, in the order messages list them (their meaning is in {@link OPERATOR_TABLE}). */
export const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'between', 'exists'] as const;
/** A comparison operator. */
export type Operator = (typeof OPERATORS)[number];

/** The operand shape an operator takes. */
export type OperandShape = 'one' | 'list' | 'range' | 'flag';

/** Operands after parsing, by shape. */
export type ParsedOperands =
  | { readonly shape: 'one'; readonly value: Operand }
  | { readonly shape: 'list'; readonly values: readonly Operand[] }
  | { readonly shape: 'range'; readonly low: Operand; readonly high: Operand }
  | { readonly shape: 'flag'; readonly present: boolean };

/** One row of the table. */
export interface OperatorDefinition {
  readonly op: Operator;
  readonly shape: OperandShape;
  readonly types: readonly FactType[];
  /** Builds the test of a fact value; tags facts (lists) are handled by `tags` semantics below. */
  readonly build: (operands: ParsedOperands, type: FactType) => (actual: unknown) => boolean;
}

const ALL_TYPES: readonly FactType[] = ['decimal', 'integer', 'string', 'tags', 'instant', 'date', 'scalar'];
const ORDERED_TYPES: readonly FactType[] = ['decimal', 'integer', 'instant', 'date', 'scalar'];

function one(operands: ParsedOperands): Operand {
  if (operands.shape !== 'one') throw new TypeError(`operator expects one operand, got ${operands.shape}`);
  return operands.value;
}
function list(operands: ParsedOperands): readonly Operand[] {
  if (operands.shape !== 'list') throw new TypeError(`operator expects a list, got ${operands.shape}`);
  return operands.values;
}

/** For a tags fact, `eq` means "has this tag" and `in` means "has any of these tags". */
function hasTag(actual: unknown, operand: Operand): boolean {
  return Array.isArray(actual) && actual.some((tag) => equalsOperand(tag, operand));
}

function equalityTest(operand: Operand, type: FactType): (actual: unknown) => boolean {
  if (type === 'tags') return (actual) => hasTag(actual, operand);
  // Texts and numbers are equal exactly when they are the same value: no detour through equalsOperand.
  if (operand.kind === 'string' || operand.kind === 'number') {
    const wanted = operand.value;
    return (actual) => actual === wanted;
  }
  return (actual) => equalsOperand(actual, operand);
}

function membershipTest(values: readonly Operand[], type: FactType): (actual: unknown) => boolean {
  if (type === 'string' || type === 'tags') {
    const set = new Set(values.map((v) => v.value));
    return type === 'tags'
      ? (actual) => Array.isArray(actual) && actual.some((tag) => set.has(tag as string))
      : (actual) => typeof actual === 'string' && set.has(actual);
  }
  return (actual) => values.some((v) => equalsOperand(actual, v));
}

function ordered(pass: (sign: number) => boolean): (operands: ParsedOperands) => (actual: unknown) => boolean {
  return (operands) => {
    const operand = one(operands);
    // Numbers (whole numbers, instants, dates) compare directly; so do whole amounts against a whole operand.
    const direct = operand.kind === 'number' ? operand.value : operand.kind === 'decimal' ? operand.whole : undefined;
    if (direct !== undefined) {
      return (actual) => {
        if (typeof actual === 'number') return pass(Math.sign(actual - direct));
        const sign = compareOperand(actual, operand);
        return sign !== undefined && pass(sign);
      };
    }
    return (actual) => {
      const sign = compareOperand(actual, operand);
      return sign !== undefined && pass(sign);
    };
  };
}

/** The operator table. */
export const OPERATOR_TABLE: ReadonlyMap<Operator, OperatorDefinition> = new Map<Operator, OperatorDefinition>(
  (
    [
      { op: 'eq', shape: 'one', types: ALL_TYPES, build: (o, t) => equalityTest(one(o), t) },
      {
        op: 'ne',
       
        shape: 'one',
        types: ALL_TYPES,
        build: (o, t) => {
          const eq = equalityTest(one(o), t);
          return (actual) => !eq(actual);
        },
      },
      { op: 'lt', shape: 'one', types: ORDERED_TYPES, build: ordered((s) => s < 0) },
      { op: 'lte', shape: 'one', types: ORDERED_TYPES, build: ordered((s) => s <= 0) },
      { op: 'gt', shape: 'one', types: ORDERED_TYPES, build: ordered((s) => s > 0) },
      { op: 'gte', shape: 'one', types: ORDERED_TYPES, build: ordered((s) => s >= 0) },
      { op: 'in', shape: 'list', types: ALL_TYPES, build: (o, t) => membershipTest(list(o), t) },
      {
        op: 'nin',
       
        shape: 'list',
        types: ALL_TYPES,
        build: (o, t) => {
          const inList = membershipTest(list(o), t);
          return (actual) => !inList(actual);
        },
      },
      {
        op: 'between',
       
        shape: 'range',
        types: ORDERED_TYPES,
        build: (o) => {
          if (o.shape !== 'range') throw new TypeError('between expects a range');
          const { low, high } = o;
          return (actual) => {
            const aboveLow = compareOperand(actual, low);
            const belowHigh = compareOperand(actual, high);
            return aboveLow !== undefined && belowHigh !== undefined && aboveLow >= 0 && belowHigh <= 0;
          };
        },
      },
      {
        op: 'exists',
       
        shape: 'flag',
        types: ALL_TYPES,
        build: (o) => {
          if (o.shape !== 'flag') throw new TypeError('exists expects true or false');
          const wanted = o.present;
          return (actual) => isPresent(actual) === wanted;
        },
      },
    ] satisfies OperatorDefinition[]
  ).map((d) => [d.op, d]),
);
