/**
 * Length limits on what crosses a trust boundary, checked after its zod schema: zod checks the
 * shape, and this the sizes — and the kinds of the numbers and booleans the redirect, landing and
 * health schemas read. (zod/mini's length checks, and its number and boolean schemas, would bring
 * their machinery into the chunk every flow shares — a popup flow reads strings only — for a
 * comparison this does in a line.)
 */

/** A value every key of `limits` names fits: a string of at most `max` characters (and at least `min`), or absent. */
export function withinLimits(
  value: Readonly<Record<string, unknown>>,
  limits: Readonly<Record<string, readonly [min: number, max: number]>>,
): boolean {
  return Object.entries(limits).every(([key, [min, max]]) => {
    const v = value[key];
    return v === undefined || (typeof v === 'string' && v.length >= min && v.length <= max);
  });
}

/** The limits of a parameter in an answer: not empty, at most 4 KB (core/callback-params). */
export const PARAM: readonly [number, number] = [1, 4096];

/**
 * `value`'s keys named in `kinds` hold that kind (`typeof`): a finite number for `number`; a key
 * whose kind ends in `?` may be absent.
 */
export function ofKinds(
  value: Readonly<Record<string, unknown>>,
  kinds: Readonly<Record<string, 'number' | 'boolean' | 'boolean?'>>,
): boolean {
  return Object.entries(kinds).every(([key, kind]) => {
    const v = value[key];
    if (v === undefined && kind.endsWith('?')) return true;
    return typeof v === kind.replace('?', '') && (typeof v !== 'number' || Number.isFinite(v));
  });
}
