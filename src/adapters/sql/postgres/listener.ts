import pg from 'pg';

const RECONNECT_MS = 1000;

/**
 * LISTEN on a connection of its own, held for as long as it listens. If that connection dies
 * (server restart, terminated backend) it reconnects, and calls onNotify once on reconnecting,
 * since notifications sent meanwhile are gone: the listener then looks for work itself.
 * Without an 'error' handler a dead connection would crash the process.
 */
export async function listenOnPool(pool: pg.Pool, channel: string, onNotify: () => void, onError: (error: unknown) => void): Promise<() => Promise<void>> {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const connection = await pool.connect();
    connection.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    connection.on('error', (error) => {
      onError(error);
      if (client !== connection) return;
      client = undefined;
      connection.release(error);
      scheduleReconnect();
    });
    try {
      await connection.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      connection.release(error instanceof Error ? error : true);
      throw error;
    }
    client = connection;
  };

  const scheduleReconnect = (): void => {
    if (stopped) return;
    retry = setTimeout(() => {
      connect().then(onNotify, (error: unknown) => {
        onError(error);
        scheduleReconnect();
      });
    }, RECONNECT_MS);
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const connection = client;
    client = undefined;
    if (!connection) return;
    await connection.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    connection.release();
  };
}
