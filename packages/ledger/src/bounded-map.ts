/**
 * The bound of every in-process cache and memo of the ledger and the API: a `Map` iterates in insertion order, so
 * its first entries are its oldest.
 */

/**
 * Sets `key` to `value` as the newest entry of `map`, first dropping the oldest entries so that the map holds at
 * most `max` afterwards.
 *
 * @example
 * setNewest(cache, keyId, record, 10_000);
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  for (const oldest of map.keys()) {
    if (map.size < max) break;
    map.delete(oldest);
  }
  map.set(key, value);
}
