/** A readonly type's fields made writable: for building a value field by field before it is handed out. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
