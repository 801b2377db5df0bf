import { parse, protocol, type PGlite } from '@electric-sql/pglite';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

interface PreparedStatement {
  readonly name: string;
  readonly paramTypes: readonly number[];
  /** The statement's RowDescription, which the results of each execution are read with (none for a statement without rows). */
  readonly rowDescription: BackendMessage | undefined;
}

const { serialize } = protocol;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * PGlite's `query()` parses and analyzes the SQL each time and enters the WebAssembly module once
 * per protocol message (Parse, Describe, Bind, Describe, Execute, Sync). The same statements
 * run thousands of times a second here, so each is prepared once under a name, and an execution
 * is one Bind + Execute + Sync. `bench/pglite-statements.ts`: a one-row outbox INSERT about 270 us
 * instead of 450-510 us, SELECT 1 about 65 us instead of 180 us; a 100-row INSERT costs its rows
 * either way.
 * Results, parameters, errors and notifications are those of `query()` (its own parsers and
 * serializers, the same DatabaseError).
 */
export class PreparedStatements {
  private readonly statements = new Map<string, PreparedStatement>();
  private nextName = 1;

  constructor(
    private readonly db: PGlite,
    /** Statements kept at most; the least recently used one is closed to make room. */
    private readonly capacity = 500,
  ) {}

  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[]> {
    const statement = await this.prepared(sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.db.serializers[statement.paramTypes[i]!];
      return serializer ? serializer(value) : String(value);
    });
    let messages: BackendMessage[];
    try {
      ({ messages } = await this.db.execProtocol(concat([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()])));
    } catch (error) {
      // "cached plan must not change result type": a table changed under it; prepare it again next time.
      if ((error as { code?: string }).code === '0A000') this.statements.delete(sql);
      throw error;
    }
    const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages;
    return parse.parseResults(described, this.db.parsers)[0]?.rows ?? [];
  }

  /** Forgets every statement, for after a script that may have changed the tables they read. */
  async reset(): Promise<void> {
    this.statements.clear();
    await this.db.exec('DEALLOCATE ALL');
  }

  private async prepared(sql: string): Promise<PreparedStatement> {
    const known = this.statements.get(sql);
    if (known) {
      // Map order is insertion order: moving the entry to the end keeps the least recent first.
      this.statements.delete(sql);
      this.statements.set(sql, known);
      return known;
    }
    const name = `s${this.nextName++}`;
    const { messages } = await this.db.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]));
    const statement: PreparedStatement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((m) => m.name === 'rowDescription'),
    };
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) await this.closeLeastRecent();
    return statement;
  }

  private async closeLeastRecent(): Promise<void> {
    const [sql, oldest] = this.statements.entries().next().value!;
    this.statements.delete(sql);
    await this.db.execProtocol(concat([serialize.close({ type: 'S', name: oldest.name }), serialize.sync()]));
  }
}
