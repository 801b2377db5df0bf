/**
 * How column text becomes JavaScript values: numeric as the exact decimal string (parsed by
 * parsePrice, never Number()), int8 as a number. Our int8 columns (quantities, outbox ids) stay far
 * below 2^53; a larger value fails the query instead of being silently rounded. Both the pg client
 * and the PGlite worker use them (PGlite alone would return a bigint above 2^53).
 */
export const NUMERIC_OID = 1700;
export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit a JavaScript number exactly`);
  return value;
}

const keepText = (text: string): string => text;

export const TYPE_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [NUMERIC_OID]: keepText,
  [INT8_OID]: parseInt8,
};
