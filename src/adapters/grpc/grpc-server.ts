import { once } from 'node:events';
import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';

/** Registers one service's handlers; each *-grpc-service.ts module builds one from its dependencies. */
export type GrpcRoutes = (router: ConnectRouter) => void;

export interface GrpcServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly services: readonly GrpcRoutes[];
  /** How long stop() lets in-flight unary calls finish before closing connections; default 5 s. */
  readonly stopGraceMs?: number;
}

/**
 * A gRPC server over cleartext HTTP/2 (h2c), as gRPC clients and grpcurl -plaintext expect.
 * Connect's router also answers the Connect and gRPC-Web protocols on the same port, which lets
 * curl call a method with JSON. No TLS: it serves inside the deployment's network.
 */
export class GrpcServer {
  private readonly shutdown = new AbortController();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly server: Http2Server;
  private listening = false;

  constructor(private readonly options: GrpcServerOptions) {
    const handler = connectNodeAdapter({
      routes: (router) => options.services.forEach((register) => register(router)),
      // Aborting it aborts every handler's signal, which ends server streams (see PushStream).
      shutdownSignal: this.shutdown.signal,
    });
    this.server = createServer(handler);
    // Small request/response frames: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per call.
    this.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
  }

  async start(): Promise<void> {
    this.server.listen(this.options.port, this.options.host ?? '0.0.0.0');
    await once(this.server, 'listening');
    this.listening = true;
  }

  /** The bound port (the real one when started on port 0). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Ends streams with UNAVAILABLE (clients reconnect elsewhere), lets unary calls finish, then closes. */
  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.shutdown.abort(new ConnectError('the server is stopping', Code.Unavailable));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // GOAWAY: no new calls on these connections; the ones in flight complete.
    for (const session of this.sessions) session.close();
    const grace = setTimeout(() => this.sessions.forEach((session) => session.destroy()), this.options.stopGraceMs ?? 5_000);
    await closed;
    clearTimeout(grace);
  }
}
