/**
 * The embedded hot path's durable record: an append-only log of opaque records, each numbered
 * (1, 2, 3...). Records appended while a write is in flight share the next write and its
 * fdatasync (group commit), so an acknowledged record survives a power cut, not only kill -9.
 */
export interface Journal {
  /**
   * Appends records in order; resolves with the sequence number of the last one once all are on
   * disk. A write or sync that fails is retried (see `failure`), so an append waits out a full disk;
   * it rejects only if the journal is closed first: then none of the records may be acted on.
   */
  append(records: readonly Uint8Array[]): Promise<number>;
  /** While a batch keeps failing to be written: the last error and since when; undefined when writes succeed. */
  readonly failure: JournalFailure | undefined;
  /** Sequence number of the last record known durable (0 for an empty journal). */
  readonly lastSeq: number;
  /** The records numbered above `after`, in order (a torn record at the tail ends the read). */
  readFrom(after: number): Iterable<JournalRecord>;
  /** Drops whole segments all of whose records are numbered at or below `seq` (what a checkpoint made redundant). */
  truncateThrough(seq: number): Promise<void>;
  /** Waits for writes in flight, then closes the files. */
  close(): Promise<void>;
}

export interface JournalFailure {
  readonly error: unknown;
  readonly since: Date;
}

export interface JournalRecord {
  readonly seq: number;
  readonly data: Uint8Array;
}
