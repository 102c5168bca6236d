/**
 * Checks a condition tree against the fact and operator tables and compiles it into closures: `test` for the hot
 * path, `explain` (only called for the trace) for why it did not hold.
 */
import { DateTime } from 'luxon';
import type { Problem } from '../errors.js';
import { describePointer, preview } from '../money/money.js';
import { factNames, lookupFact, type EvaluationFacts, type FactPlace, type FactType } from './facts.js';
import { parseOperand, showActual, type Operand } from './operand.js';
import { OPERATOR_TABLE, OPERATORS, type ParsedOperands } from './operators.js';
import { sentence, type Sentence } from '../messages/sentence.js';

/** A compiled condition. */
export interface CompiledCondition {
  /** Whether the condition holds for these facts. */
  readonly test: (facts: EvaluationFacts) => boolean;
  /** A sentence saying why `test` gave false for these facts (or why a `not` failed). */
  readonly explain: (facts: EvaluationFacts) => Sentence;
  /** Whether it reads a `line.*` fact; a condition that does not holds or fails for every line of an order alike. */
  readonly readsLine?: boolean;
  /**
   * For an `all` mixing both: its parts that read no line fact (tested once per order) and the parts that do (per
   * line). `all` holds for a line exactly when both hold.
   */
  readonly split?: { readonly order: CompiledCondition; readonly line: CompiledCondition };
}

/** What a condition may read where it stands. */
export interface ConditionContext {
  /** The program's time zone (instant operands without offset are refused; this names the zone of dates). */
  readonly zone: string;
  /** Fact places available here, e.g. `any` + `order` for an order rule. */
  readonly places: ReadonlySet<FactPlace>;
  /** How to name where the condition stands, for messages: "an order rule". */
  readonly where: string;
}

const FORMS = ['all', 'any', 'not'] as const;
const MAX_DEPTH = 16;
const DAY_MS = 86_400_000;

/** A condition that always holds (a rule without `when`). */
export const ALWAYS: CompiledCondition = { test: () => true, explain: () => sentence('condition.none') };

const TYPE_WORDS: Record<FactType, string> = {
  decimal: 'an amount',
  integer: 'a whole number',
  string: 'a text',
  tags: 'a list of tags',
  instant: 'an instant',
  date: 'a date',
  scalar: 'an attribute',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function showValue(type: FactType, actual: unknown, zone: string): string {
  if (typeof actual === 'number' && type === 'instant') return DateTime.fromMillis(actual, { zone }).toISO() ?? String(actual);
  if (typeof actual === 'number' && type === 'date') return DateTime.fromMillis(actual * DAY_MS, { zone: 'UTC' }).toISODate() ?? String(actual);
  return showActual(actual);
}

/**
 * Checks and compiles one condition. Problems go to `problems`; the result is undefined when there were any.
 *
 * @example
 * const problems: Problem[] = [];
 * const c = compileCondition({ fact: 'order.total', op: 'gte', value: '5000000' }, '/earning/2/when', ctx, problems);
 */
export function compileCondition(node: unknown, pointer: string, context: ConditionContext, problems: Problem[], depth = 0): CompiledCondition | undefined {
  const where = describePointer(pointer);
  if (depth > MAX_DEPTH) {
    problems.push({ pointer, code: 'condition-too-deep', message: `${where} nests conditions more than ${MAX_DEPTH} levels deep` });
    return undefined;
  }
  if (!isRecord(node)) {
    problems.push({ pointer, code: 'invalid-condition', message: `${where} must be a condition object, got ${preview(node)}` });
    return undefined;
  }
  const forms = FORMS.filter((f) => f in node);
  const isLeaf = 'fact' in node || 'op' in node || 'value' in node;
  if (forms.length + (isLeaf ? 1 : 0) !== 1) {
    problems.push({
      pointer,
      code: 'invalid-condition',
      message: `${where} must be exactly one of {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "op", "value"}, got the fields ${Object.keys(node).join(', ')}`,
    });
    return undefined;
  }
  if (isLeaf) return compileLeaf(node, pointer, context, problems);
  const form = forms[0]!;
  if (form === 'not') {
    const inner = compileCondition(node.not, `${pointer}/not`, context, problems, depth + 1);
    if (!inner) return undefined;
    return { test: (f) => !inner.test(f), explain: () => sentence('condition.not-held'), readsLine: inner.readsLine === true };
  }
  const children = node[form];
  if (!Array.isArray(children) || children.length === 0) {
    problems.push({ pointer: `${pointer}/${form}`, code: 'invalid-condition', message: `${where}.${form} must be a non-empty list of conditions` });
    return undefined;
  }
  const compiled = children.map((child, i) => compileCondition(child, `${pointer}/${form}/${i}`, context, problems, depth + 1));
  if (compiled.some((c) => c === undefined)) return undefined;
  const parts = compiled as CompiledCondition[];
  const readsLine = parts.some((p) => p.readsLine === true);
  if (form === 'all') {
    const all = allOf(parts);
    const orderParts = parts.filter((p) => p.readsLine !== true);
    const lineParts = parts.filter((p) => p.readsLine === true);
    return { ...all, readsLine, ...(orderParts.length > 0 && lineParts.length > 0 ? { split: { order: allOf(orderParts), line: allOf(lineParts) } } : {}) };
  }
  return {
    test: (f) => {
      for (const part of parts) if (part.test(f)) return true;
      return false;
    },
    explain: (f) => sentence('condition.none-held', { parts: parts.map((p) => p.explain(f)) }),
    readsLine,
  };
}

function allOf(parts: readonly CompiledCondition[]): CompiledCondition {
  return {
    test: (f) => {
      for (const part of parts) if (!part.test(f)) return false;
      return true;
    },
    explain: (f) => parts.find((p) => !p.test(f))?.explain(f) ?? sentence('condition.all-held'),
    readsLine: parts.some((p) => p.readsLine === true),
  };
}

function compileLeaf(node: Record<string, unknown>, pointer: string, context: ConditionContext, problems: Problem[]): CompiledCondition | undefined {
  const before = problems.length;
  const factName = node.fact;
  const op = node.op;
  const fact = typeof factName === 'string' ? lookupFact(factName) : undefined;
  if (typeof factName !== 'string') {
    problems.push({ pointer: `${pointer}/fact`, code: 'invalid-condition', message: `${describePointer(pointer)} needs a "fact" like "order.total"` });
  } else if (!fact) {
    problems.push({ pointer: `${pointer}/fact`, code: 'unknown-fact', message: `${describePointer(`${pointer}/fact`)} names no known fact: ${preview(factName)} (known: ${factNames().join(', ')})` });
  } else if (!context.places.has(fact.place)) {
    problems.push({ pointer: `${pointer}/fact`, code: 'fact-not-available', message: `${describePointer(`${pointer}/fact`)} uses ${factName}, which ${context.where} cannot read (only ${fact.place} conditions can)` });
  }
  const definition = typeof op === 'string' ? OPERATOR_TABLE.get(op as (typeof OPERATORS)[number]) : undefined;
  if (!definition) {
    problems.push({ pointer: `${pointer}/op`, code: 'unknown-operator', message: `${describePointer(`${pointer}/op`)} must be one of ${OPERATORS.join(', ')}, got ${preview(op)}` });
  }
  if (!fact || !definition || problems.length > before) return undefined;
  if (!definition.types.includes(fact.type)) {
    const usable = OPERATORS.filter((o) => OPERATOR_TABLE.get(o)?.types.includes(fact.type));
    problems.push({ pointer: `${pointer}/op`, code: 'unsupported-operator', message: `${fact.name} is ${TYPE_WORDS[fact.type]}, so it cannot use "${definition.op}" (use ${usable.join(', ')})` });
    return undefined;
  }
  const operands = parseOperands(definition.shape, fact.type, node.value, `${pointer}/value`, context.zone, problems);
  if (!operands) return undefined;
  const test = definition.build(operands, fact.type);
  const read = fact.read;
  const shown = showOperands(operands, fact.type, context.zone);
  return {
    test: (f) => test(read(f)),
    explain: (f) => sentence('condition.false', { fact: fact.name, op: definition.op, operands: shown, actual: showValue(fact.type, read(f), context.zone) }),
    readsLine: fact.place === 'line',
  };
}

function showOperand(operand: Operand, type: FactType, zone: string): string {
  return showValue(type, operand.value, zone);
}

function showOperands(operands: ParsedOperands, type: FactType, zone: string): string {
  switch (operands.shape) {
    case 'one':
      return showOperand(operands.value, type, zone);
    case 'list':
      return `[${operands.values.map((v) => showOperand(v, type, zone)).join(', ')}]`;
    case 'range':
      return `${showOperand(operands.low, type, zone)} and ${showOperand(operands.high, type, zone)}`;
    case 'flag':
      return operands.present ? '' : '(expected absent)';
  }
}

function parseOperands(shape: ParsedOperands['shape'], type: FactType, raw: unknown, pointer: string, zone: string, problems: Problem[]): ParsedOperands | undefined {
  const where = describePointer(pointer);
  const one = (value: unknown, at: string): Operand | undefined => {
    const result = parseOperand(type, value, zone);
    if (result.ok) return result.operand;
    problems.push({ pointer: at, code: 'invalid-operand', message: `${describePointer(at)} must be ${result.expected}, got ${preview(value)}` });
    return undefined;
  };
  switch (shape) {
    case 'one': {
      if (Array.isArray(raw)) {
        problems.push({ pointer, code: 'invalid-operand', message: `${where} must be a single value, not a list (use "in" for a list)` });
        return undefined;
      }
      const value = one(raw, pointer);
      return value ? { shape, value } : undefined;
    }
    case 'list': {
      if (!Array.isArray(raw) || raw.length === 0) {
        problems.push({ pointer, code: 'invalid-operand', message: `${where} must be a non-empty list like ["tv", "laptop"], got ${preview(raw)}` });
        return undefined;
      }
      const values = raw.map((v, i) => one(v, `${pointer}/${i}`));
      return values.every((v) => v !== undefined) ? { shape, values } : undefined;
    }
    case 'range': {
      if (!Array.isArray(raw) || raw.length !== 2) {
        problems.push({ pointer, code: 'invalid-operand', message: `${where} must be a pair [low, high] like ["100000", "500000"], got ${preview(raw)}` });
        return undefined;
      }
      const low = one(raw[0], `${pointer}/0`);
      const high = one(raw[1], `${pointer}/1`);
      if (!low || !high) return undefined;
      if (low.kind === high.kind && compareOperands(low, high) > 0) {
        problems.push({ pointer, code: 'never-applies', message: `${where} has its low end above its high end (${preview(raw)}), so the condition can never hold` });
        return undefined;
      }
      return { shape, low, high };
    }
    case 'flag':
      if (raw === undefined || typeof raw === 'boolean') return { shape, present: raw ?? true };
      problems.push({ pointer, code: 'invalid-operand', message: `${where} must be true or false (or left out) for "exists", got ${preview(raw)}` });
      return undefined;
  }
}

function compareOperands(a: Operand, b: Operand): number {
  if (a.kind === 'decimal' && b.kind === 'decimal') return a.value.cmp(b.value);
  if (a.kind === 'number' && b.kind === 'number') return Math.sign(a.value - b.value);
  if (a.kind === 'scalar' && b.kind === 'scalar' && a.numeric && b.numeric) return a.numeric.cmp(b.numeric);
  return 0;
}
