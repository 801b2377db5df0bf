import net from 'node:net';

/**
 * A TCP relay between a client and a server, to cut the connection and restore it as a real
 * outage would (the server vanishing, then coming back on the same address), or to hold traffic
 * as a network partition does while both ends still believe the connection is open.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private listenPort = 0;
  private frozen = false;
  private readonly held: { to: net.Socket; chunk: Buffer }[] = [];

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.listenPort;
  }

  /** Listens on the same port as before (an ephemeral one the first time). */
  async start(): Promise<number> {
    const server = net.createServer((inbound) => {
      const outbound = net.connect(this.target.port, this.target.host);
      this.relay(inbound, outbound);
      this.relay(outbound, inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.listenPort = (server.address() as net.AddressInfo).port;
    this.server = server;
    return this.listenPort;
  }

  /** Refuses new connections and drops the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.held.length = 0;
    this.frozen = false;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Holds every byte in both directions, without closing anything. */
  freeze(): void {
    this.frozen = true;
  }

  /** Delivers what was held, in order, and relays normally again. */
  thaw(): void {
    this.frozen = false;
    for (const { to, chunk } of this.held.splice(0)) to.write(chunk);
  }

  private relay(from: net.Socket, to: net.Socket): void {
    this.sockets.add(from);
    from.on('data', (chunk: Buffer) => {
      if (this.frozen) this.held.push({ to, chunk });
      else to.write(chunk);
    });
    // Either side closing or failing ends both, as with a direct connection.
    const endBoth = () => {
      this.sockets.delete(from);
      from.destroy();
      to.destroy();
    };
    from.on('close', endBoth);
    from.on('error', endBoth);
  }
}
