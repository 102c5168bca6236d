/**
 * API key scopes. `checkout` is what a shop's checkout needs, `crm` what a CRM needs, `admin` everything.
 */

/** Every scope, in the order they are documented. */
export const SCOPES = ['checkout', 'crm', 'admin'] as const;

/** One scope of an API key. */
export type Scope = (typeof SCOPES)[number];

/** Whether `value` names a scope. */
export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/**
 * Whether a key holding `held` may call an operation open to `allowed`. `admin` may call everything.
 *
 * @example
 * scopeAllows(['checkout'], ['crm']) // false
 */
export function scopeAllows(held: readonly string[], allowed: readonly Scope[]): boolean {
  if (held.includes('admin')) return true;
  return allowed.some((scope) => held.includes(scope));
}
