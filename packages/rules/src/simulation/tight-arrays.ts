/**
 * Arrays sized to their contents. A simulation holds a few entries (orders in the tier window, lots) for each of
 * perhaps a million customers; an array grown by `push` reserves room for 16 more entries, which for a customer
 * holding two would be most of their memory. These build a new array of exactly the needed length instead.
 */

/** `items` with `item` appended. */
export function appended<T>(items: readonly T[], item: T): T[] {
  return insertedAt(items, items.length, item);
}

/** `items` with `item` inserted at `index`. */
export function insertedAt<T>(items: readonly T[], index: number, item: T): T[] {
  const out = new Array<T>(items.length + 1);
  for (let i = 0; i < index; i++) out[i] = items[i]!;
  out[index] = item;
  for (let i = index; i < items.length; i++) out[i + 1] = items[i]!;
  return out;
}

/** The items that pass `keep`, in order (`items` itself when all do). */
export function kept<T>(items: readonly T[], keep: (item: T) => boolean): readonly T[] {
  let n = 0;
  for (const item of items) if (keep(item)) n++;
  if (n === items.length) return items;
  const out = new Array<T>(n);
  let j = 0;
  for (const item of items) if (keep(item)) out[j++] = item;
  return out;
}

/** `items` without its first `count` entries. */
export function withoutFirst<T>(items: readonly T[], count: number): T[] {
  const out = new Array<T>(items.length - count);
  for (let i = count; i < items.length; i++) out[i - count] = items[i]!;
  return out;
}
