/**
 * The shape of a message catalog, derived from the English one: the same keys, each a function of the same named
 * parameters. A catalog missing a key, or reading a parameter the message does not have, fails to compile.
 */
import type { en } from './en.js';

/** Every message key: `<domain>.<code>` (a reason's code is the part after the dot, before any `#variant`). */
export type MessageKey = keyof typeof en;

/** The parameters a message mentions (an empty object when it mentions none). */
export type MessageParams<K extends MessageKey> = Parameters<(typeof en)[K]> extends [infer P] ? P : Record<string, never>;

/** A catalog: every message of {@link MessageKey}, written in one language. */
export type MessageCatalog = { readonly [K in MessageKey]: (params: MessageParams<K>) => string };

/** The reason code a key stands for: `redemption.not-positive` -> `not-positive`, `yearly.no-date#x` -> `no-date`. */
export type CodeOf<K extends string> = K extends `${string}.${infer C}#${string}` ? C : K extends `${string}.${infer C}` ? C : never;
