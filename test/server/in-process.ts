/** An in-process gRPC server over an in-memory engine, for wire-level tests that need no subprocess. */
import { Engine } from '../../src/engine/engine.js';
import { engineCredentialStore } from '../../src/server/auth/credential-store.js';
import { GrpcServer } from '../../src/server/grpc/server.js';

export interface InProcess {
  engine: Engine;
  server: GrpcServer;
  address: string;
  stop(): Promise<void>;
}

export async function startInProcess(opts: { auth?: boolean } = {}): Promise<InProcess> {
  const engine = await Engine.open({ dataDir: null });
  const server = await GrpcServer.start({ engine, credentials: engineCredentialStore(engine), port: 0, auth: opts.auth ?? false, version: 'test' });
  return {
    engine,
    server,
    address: server.address,
    async stop() {
      await server.shutdown(2_000);
      await engine.close();
    },
  };
}
