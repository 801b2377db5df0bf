/**
 * Exact decimals for the page: the API sends prices and money as decimal strings, and sums or
 * differences of them must not go through binary floats. A value is a BigInt of 10^-SCALE units.
 */
const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);
const PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

export type Scaled = bigint & { readonly __decimal: unique symbol };

/** The decimal string as scaled units; undefined when it is not one or has more digits than the scale holds. */
export function parseDecimal(text: string): Scaled | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, minus, whole, fraction = ''] = match;
  if (fraction.length > SCALE) return undefined;
  const units = BigInt(whole!) * ONE + BigInt(fraction.padEnd(SCALE, '0'));
  return (minus ? -units : units) as Scaled;
}

/** Like parseDecimal, for values the API guarantees to be decimals: a bad one throws. */
export function decimal(text: string): Scaled {
  const value = parseDecimal(text);
  if (value === undefined) throw new Error(`not a decimal: ${text}`);
  return value;
}

/** The shortest decimal string of the value (no trailing zeros), as the API writes them. */
export function formatDecimal(value: Scaled): string {
  const negative = value < 0n;
  const units = negative ? -value : value;
  const whole = units / ONE;
  const fraction = (units % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Rounded half away from zero to `places` decimals, trailing zeros kept (a display of money: 2 places). */
export function formatFixed(value: Scaled, places: number): string {
  const step = 10n ** BigInt(SCALE - places);
  const negative = value < 0n;
  const units = negative ? -value : value;
  const rounded = (units + step / 2n) / step;
  const text = rounded.toString().padStart(places + 1, '0');
  const body = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  return `${negative && rounded !== 0n ? '-' : ''}${body}`;
}

export const add = (a: Scaled, b: Scaled): Scaled => (a + b) as Scaled;
export const subtract = (a: Scaled, b: Scaled): Scaled => (a - b) as Scaled;
/** Half of a value: exact while the value has fewer decimals than the scale, as prices have. */
export const half = (a: Scaled): Scaled => (a / 2n) as Scaled;
export const sum = (values: readonly Scaled[]): Scaled => values.reduce(add, 0n as Scaled);
export const ZERO = 0n as Scaled;

export const compareDecimals = (a: Scaled, b: Scaled): number => (a < b ? -1 : a > b ? 1 : 0);

/** The value times a whole number (a fill rate as a percentage: times 100). */
export const times = (a: Scaled, n: bigint): Scaled => (a * n) as Scaled;
