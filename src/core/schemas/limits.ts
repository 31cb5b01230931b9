/**
 * Length limits on what crosses a trust boundary, checked after its zod schema: zod checks the
 * shape, and this the sizes. (zod/mini's length checks would bring their machinery into every
 * flow's chunk, for a comparison this does in a line.)
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
