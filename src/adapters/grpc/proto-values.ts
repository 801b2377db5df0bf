import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';

/**
 * Scalar conversions at the gRPC edge. Proto3 has no null: a nullable decimal is an `optional
 * string` (undefined when absent), 64-bit integers arrive as bigint, times as Timestamp.
 */

export const optionalText = (value: string | null): string | undefined => (value === null ? undefined : value);

export const nullableText = (value: string | undefined): string | null => (value === undefined ? null : value);

/** Whole numbers the domain holds as safe integers go out as 64-bit; BigInt() is exact for them. */
export const toInt64 = (value: number): bigint => BigInt(value);

/** A 64-bit value from the wire, or undefined when a JS number cannot hold it exactly. */
export function toSafeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : undefined;
}

export const timestampFromIso = (iso: string): Timestamp => timestampFromDate(new Date(iso));

export const isoFromTimestamp = (timestamp: Timestamp): string => timestampDate(timestamp).toISOString();

/** A numeric TypeScript enum as protoc-gen-es generates it: names to numbers and back. */
export type ProtoEnum = Record<string, string | number> & Record<number, string>;

/**
 * The domain name of a proto enum value: protoc-gen-es drops the type prefix (SIDE_BUY is
 * Side.BUY), so the generated names are the domain's. Undefined for UNSPECIFIED and for values
 * this build does not know (proto3 enums are open).
 */
export function domainName<T extends string>(protoEnum: ProtoEnum, value: number, names: readonly T[]): T | undefined {
  const name = protoEnum[value];
  return name !== undefined && (names as readonly string[]).includes(name) ? (name as T) : undefined;
}

/** The proto value of a stored name (read models hold names as text); UNSPECIFIED (0) when unknown. */
export function protoValue<E extends number>(protoEnum: { readonly [name: string]: E | string }, name: string | null): E {
  const value = name === null ? undefined : protoEnum[name];
  // Every enum in proto/ has UNSPECIFIED = 0.
  return typeof value === 'number' ? value : (0 as E);
}
