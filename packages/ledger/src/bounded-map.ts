/**
 * The bound of every in-process cache and memo of the ledger and the API: a `Map` iterates in insertion order, so
 * its first entries are its oldest.
 */

/**
 * Sets `key` to `value` as the newest entry of `map`, first dropping the oldest entries so that the map holds at
 * most `max` afterwards. A full map drops its oldest tenth at once: starting to iterate a `Map` walks past every entry
 * deleted since V8 last compacted it, so dropping one entry a call made a set of a full map of 10,000 cost about
 * 7 µs (40 µs at 100,000), and a call on a map under its bound paid the walk for nothing.
 *
 * @example
 * setNewest(cache, keyId, record, 10_000);
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) {
    let drop = map.size - max + 1 + Math.floor(max / 10);
    for (const oldest of map.keys()) {
      if (drop <= 0) break;
      map.delete(oldest);
      drop -= 1;
    }
  }
  map.set(key, value);
}
