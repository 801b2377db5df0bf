import type { DescService } from '@bufbuild/protobuf';
import { ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { GrpcServer, type GrpcRoutes } from '../grpc-server.js';

/** A real gRPC server on 127.0.0.1 (ephemeral port) and a client factory; close() stops both. */
export async function startGrpcTestServer(...services: GrpcRoutes[]) {
  const server = new GrpcServer({ port: 0, host: '127.0.0.1', services, stopGraceMs: 1_000 });
  await server.start();
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const sessions: Http2SessionManager[] = [];
  return {
    server,
    baseUrl,
    client<S extends DescService>(service: S): Client<S> {
      const sessionManager = new Http2SessionManager(baseUrl);
      sessions.push(sessionManager);
      return createClient(service, createGrpcTransport({ baseUrl, sessionManager }));
    },
    async close(): Promise<void> {
      sessions.forEach((s) => s.abort());
      await server.stop();
    },
  };
}

/** Resolves once `condition` holds (a stream's subscription reached the server), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The ConnectError a call failed with; fails the test if it succeeded. */
export function failure(call: Promise<unknown>): Promise<ConnectError> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => ConnectError.from(e),
  );
}
