/**
 * The fact table: every fact a condition may name, its type (which decides how operands are parsed and compared)
 * and where it is available. A decimal fact reads as a Decimal, or as a plain number when it is a whole safe
 * integer (the fast path's amounts): operand.ts compares both exactly. Facts are read from an {@link EvaluationFacts} built once per evaluation.
 */
import type { Decimal } from '../money/money.js';

/** How a fact's values compare. */
export type FactType = 'decimal' | 'integer' | 'string' | 'tags' | 'instant' | 'date' | 'scalar';

/** Where a fact exists: in every evaluation, only per line (line rules), or only for custom events. */
export type FactPlace = 'any' | 'order' | 'line' | 'event';

/** A JSON scalar attribute value. */
export type AttributeValue = string | number | boolean;

/** Facts of the order as a whole (decimals precomputed once per evaluation). */
export interface OrderFacts {
  readonly total: Decimal;
  /** The total as a number when it is a whole safe integer (conditions then compare without a Decimal). */
  readonly wholeTotal?: number | undefined;
  readonly lineCount: number;
  readonly channel: string | undefined;
  readonly currency: string;
  readonly tags: readonly string[];
}

/** Facts of one line. */
export interface LineFacts {
  readonly sku: string;
  readonly category: string | undefined;
  readonly brand: string | undefined;
  readonly tags: readonly string[];
  readonly quantity: number;
  readonly amount: Decimal;
  /** The amount as a number when it is a whole safe integer (conditions then compare without a Decimal). */
  readonly wholeAmount?: number | undefined;
  readonly unitPrice: Decimal;
}

/** Facts of the customer. `tier` is the tier held just before the evaluated order or event. */
export interface CustomerFacts {
  readonly tier: string | undefined;
  readonly tags: readonly string[];
  /** Epoch milliseconds, or undefined when unknown. */
  readonly enrolledAt: number | undefined;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** Calendar facts of the evaluated instant in the program's time zone. */
export interface TimeFacts {
  /** ISO day of week: 1 = Monday ... 7 = Sunday. */
  readonly dayOfWeek: number;
  readonly hour: number;
  /** Days since 1970-01-01 of the local date. */
  readonly date: number;
  readonly month: number;
  /** Epoch milliseconds. */
  readonly instant: number;
}

/** Facts of a custom event. */
export interface EventFacts {
  readonly type: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** Everything a condition can read. `order`, `line` and `event` are absent where they do not apply. */
export interface EvaluationFacts {
  readonly order?: OrderFacts;
  readonly line?: LineFacts;
  readonly customer: CustomerFacts;
  readonly time: TimeFacts;
  readonly event?: EventFacts;
}

/** A fact's type, where it lives and how to read it. */
export interface FactDefinition {
  readonly name: string;
  readonly type: FactType;
  readonly place: FactPlace;
  readonly read: (facts: EvaluationFacts) => unknown;
}

function def(name: string, type: FactType, place: FactPlace, read: (facts: EvaluationFacts) => unknown): FactDefinition {
  return { name, type, place, read };
}

/** The fixed facts. `customer.attributes.<name>` and `event.attributes.<name>` are resolved by {@link lookupFact}. */
export const FACTS: ReadonlyMap<string, FactDefinition> = new Map(
  [
    def('order.total', 'decimal', 'order', (f) => (f.order === undefined ? undefined : (f.order.wholeTotal ?? f.order.total))),
    def('order.lineCount', 'integer', 'order', (f) => f.order?.lineCount),
    def('order.channel', 'string', 'order', (f) => f.order?.channel),
    def('order.currency', 'string', 'order', (f) => f.order?.currency),
    def('order.tags', 'tags', 'order', (f) => f.order?.tags),
    def('line.sku', 'string', 'line', (f) => f.line?.sku),
    def('line.category', 'string', 'line', (f) => f.line?.category),
    def('line.brand', 'string', 'line', (f) => f.line?.brand),
    def('line.tags', 'tags', 'line', (f) => f.line?.tags),
    def('line.quantity', 'integer', 'line', (f) => f.line?.quantity),
    def('line.amount', 'decimal', 'line', (f) => (f.line === undefined ? undefined : (f.line.wholeAmount ?? f.line.amount))),
    def('line.unitPrice', 'decimal', 'line', (f) => f.line?.unitPrice),
    def('customer.tier', 'string', 'any', (f) => f.customer.tier),
    def('customer.tags', 'tags', 'any', (f) => f.customer.tags),
    def('customer.enrolledAt', 'instant', 'any', (f) => f.customer.enrolledAt),
    def('time.dayOfWeek', 'integer', 'any', (f) => f.time.dayOfWeek),
    def('time.hour', 'integer', 'any', (f) => f.time.hour),
    def('time.date', 'date', 'any', (f) => f.time.date),
    def('time.month', 'integer', 'any', (f) => f.time.month),
    def('event.type', 'string', 'event', (f) => f.event?.type),
  ].map((d) => [d.name, d]),
);

const ATTRIBUTE_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** An own property only: attribute names such as "constructor" must not reach Object.prototype. */
function ownValue(record: Readonly<Record<string, AttributeValue>>, key: string): AttributeValue | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The definition of a fact name, or undefined when there is no such fact. */
export function lookupFact(name: string): FactDefinition | undefined {
  const fixed = FACTS.get(name);
  if (fixed) return fixed;
  for (const [prefix, place] of [['customer.attributes.', 'any'], ['event.attributes.', 'event']] as const) {
    if (name.startsWith(prefix)) {
      const key = name.slice(prefix.length);
      if (!ATTRIBUTE_NAME.test(key)) return undefined;
      return prefix === 'customer.attributes.'
        ? def(name, 'scalar', place, (f) => ownValue(f.customer.attributes, key))
        : def(name, 'scalar', place, (f) => (f.event ? ownValue(f.event.attributes, key) : undefined));
    }
  }
  return undefined;
}

/** Every fact name, for messages ("customer.attributes.<name>" stands for any attribute). */
export function factNames(): string[] {
  return [...FACTS.keys(), 'customer.attributes.<name>', 'event.attributes.<name>'];
}
