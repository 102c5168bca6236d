/** Customer and time facts of an evaluation, built once per evaluation. */
import type { AttributeValue, CustomerFacts, TimeFacts } from '../conditions/facts.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { CompiledProgram } from './compiled-program.js';

const NO_TAGS: readonly string[] = Object.freeze([]);
const NO_ATTRIBUTES: Readonly<Record<string, AttributeValue>> = Object.freeze({});

/** Facts of the customer; `tier` is the tier held just before what is evaluated. */
export function customerFacts(compiled: CompiledProgram, customer: CustomerInput | undefined, tier: string | undefined, pointer = '/customer'): CustomerFacts {
  return {
    tier,
    tags: customer?.tags ?? NO_TAGS,
    // The clock's cache: a customer's enrolment is the same text at every evaluation.
    enrolledAt: customer?.enrolledAt !== undefined ? compiled.clock.millis(customer.enrolledAt, `${pointer}/enrolledAt`) : undefined,
    attributes: customer?.attributes ?? NO_ATTRIBUTES,
  };
}

/** Calendar facts of an instant in the program's time zone. */
export function timeFacts(compiled: CompiledProgram, ms: number): TimeFacts {
  const local = compiled.clock.local(ms);
  return { dayOfWeek: local.dayOfWeek, hour: local.hour, date: local.epochDay, month: local.month, instant: ms };
}
