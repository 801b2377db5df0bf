/**
 * Fixed-point decimal prices and money. One scale for every value (8 decimal places), held in a
 * bigint of raw units, so no price or notional ever passes through binary floating point.
 * Decimal strings are the only format at the edges (JSON, SQL, FIX).
 */

export const PRICE_DECIMALS = 8;
export const PRICE_SCALE = 10n ** BigInt(PRICE_DECIMALS);

/** A price in raw units of 10^-8. */
export type Price = bigint & { readonly __brand: 'Price' };
/** An amount of money (price x quantity, fees, P&L) in raw units of 10^-8. */
export type Money = bigint & { readonly __brand: 'Money' };

export const ZERO_MONEY = 0n as Money;

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** Powers of ten as bigints, made once: a bigint power per parse was a third of its time. */
const POWERS_OF_TEN = Array.from({ length: 64 }, (_, n) => 10n ** BigInt(n));
const powerOfTen = (n: number): bigint => POWERS_OF_TEN[n] ?? 10n ** BigInt(n);

/**
 * Parses a decimal string (or a JSON number, through its shortest round-trip decimal form, which
 * is exactly what the client wrote for up to 15 significant digits) into raw units.
 * Returns undefined when the text is not a decimal or has more precision than the scale holds.
 */
export function parseDecimal(input: string | number): bigint | undefined {
  if (typeof input === 'number' && !Number.isFinite(input)) return undefined;
  const text = typeof input === 'number' ? String(input) : input.trim();
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '0', fraction = '', exponentText] = match;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > 30) return undefined;
  let digits = whole + fraction;
  let decimals = fraction.length - exponent;
  if (decimals < 0) {
    digits += '0'.repeat(-decimals);
    decimals = 0;
  }
  const significant = digits.replace(/0+$/, '');
  const droppedZeros = digits.length - significant.length;
  if (decimals - Math.min(droppedZeros, decimals) > PRICE_DECIMALS) return undefined;
  const raw = (BigInt(digits) * PRICE_SCALE) / powerOfTen(decimals);
  return sign === '-' ? -raw : raw;
}

export function parsePrice(input: string | number): Price | undefined {
  return parseDecimal(input) as Price | undefined;
}

/** Formats raw units as a plain decimal string without trailing zeros ("150.5", "-0.0001", "12"). */
export function formatDecimal(raw: bigint): string {
  const negative = raw < 0n;
  const abs = negative ? -raw : raw;
  const whole = abs / PRICE_SCALE;
  const fraction = (abs % PRICE_SCALE).toString().padStart(PRICE_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** formatDecimal, with null (an absent price) kept as null. */
export const formatDecimalOrNull = (raw: bigint | null): string | null => (raw === null ? null : formatDecimal(raw));

/** Formats with at least `minDecimals` decimals, for display of prices as desks expect ("150.50"). */
export function formatDecimalFixed(raw: bigint, minDecimals = 2): string {
  const plain = formatDecimal(raw);
  const dot = plain.indexOf('.');
  const have = dot < 0 ? 0 : plain.length - dot - 1;
  if (have >= minDecimals) return plain;
  return (dot < 0 ? `${plain}.` : plain) + '0'.repeat(minDecimals - have);
}

export const priceFromUnits = (units: bigint): Price => units as Price;

/** price x quantity, exact. */
export function notional(quantity: number, price: Price): Money {
  return (BigInt(quantity) * price) as Money;
}

/**
 * Divides money by a quantity and rounds half away from zero to the price scale: the average
 * price of a set of fills, exact to the last unit of the scale.
 */
export function averagePrice(total: Money, quantity: number): Price {
  if (quantity <= 0) throw new RangeError('averagePrice needs a positive quantity');
  const q = BigInt(quantity);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const rounded = (abs * 2n + q) / (2n * q);
  return (negative ? -rounded : rounded) as Price;
}

/** Basis points of `delta` relative to `reference`, as raw units of 10^-8 bp (fixed point, rounded). */
export function basisPoints(delta: bigint, reference: Price): bigint {
  if (reference === 0n) throw new RangeError('basisPoints needs a non-zero reference');
  const scaled = delta * 10_000n * PRICE_SCALE;
  const half = reference / 2n;
  return (scaled >= 0n ? scaled + half : scaled - half) / reference;
}

export function minPrice(a: Price, b: Price): Price {
  return a < b ? a : b;
}

export function maxPrice(a: Price, b: Price): Price {
  return a > b ? a : b;
}
