/**
 * A bare gRPC client for MilvusService built from the same descriptors as the server, for asserting
 * wire-level facts (status codes, reply fields, metadata handling) without an SDK in between.
 */
import * as grpc from '@grpc/grpc-js';
import { packageDefinition } from '../../src/api/proto.js';

export type Reply = Record<string, unknown> & { status?: { code: number; error_code: number; reason: string } };

export interface RawClient {
  call(method: string, request?: Record<string, unknown>, metadata?: Record<string, string>): Promise<Reply>;
  close(): void;
}

type ServiceCtor = new (address: string, creds: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => grpc.Client;

const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as {
  milvus: { proto: { milvus: { MilvusService: ServiceCtor; ClientTelemetryService: ServiceCtor } } };
};

export function rawClient(address: string, opts: { creds?: grpc.ChannelCredentials; service?: 'MilvusService' | 'ClientTelemetryService'; options?: grpc.ChannelOptions } = {}): RawClient {
  const Ctor = loaded.milvus.proto.milvus[opts.service ?? 'MilvusService'];
  const client = new Ctor(address, opts.creds ?? grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, ...opts.options });
  return {
    call(method, request = {}, metadata = {}) {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      const fn = (client as unknown as Record<string, (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: Reply) => void) => void>)[method];
      if (typeof fn !== 'function') return Promise.reject(new TypeError(`no method ${method}`));
      return new Promise((resolve, reject) => fn.call(client, request, md, (err, res) => (err ? reject(err) : resolve(res))));
    },
    close() {
      client.close();
    },
  };
}

export function basicAuth(user: string, password: string): Record<string, string> {
  return { authorization: Buffer.from(`${user}:${password}`).toString('base64') };
}
