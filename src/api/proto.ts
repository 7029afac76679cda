/**
 * The Milvus service definitions, taken from the protobufjs JSON descriptors that the pinned official
 * Node SDK (`@zilliz/milvus2-sdk-node`, exact version in package.json) ships in its `dist/`. Nothing is
 * copied into this repository: upgrading the SDK upgrades the wire schema.
 *
 * Two views of the same descriptor:
 * - `packageDefinition`: `@grpc/proto-loader` definitions used to register the gRPC services. Requests
 *   decode with `keepCase`, 64-bit integers as strings, enums as numbers, defaults filled in and the
 *   oneof discriminator set (e.g. `vectors.data === 'float_vector'`).
 * - `protoRoot`: the protobufjs `Root`, for the messages that travel as opaque bytes inside requests
 *   (`schema.CollectionSchema` in CreateCollection, `common.PlaceholderGroup` in Search).
 */
import { createRequire } from 'node:module';
import { fromJSON, type PackageDefinition, type Options } from '@grpc/proto-loader';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const descriptorModule = require('@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.js') as { default: protobuf.INamespace };

/** The protobufjs JSON descriptor of every Milvus proto package. */
export const milvusDescriptor: protobuf.INamespace = descriptorModule.default;

export const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: Number,
  defaults: true,
  oneofs: true,
};

export const packageDefinition: PackageDefinition = fromJSON(milvusDescriptor, LOADER_OPTIONS);

export const protoRoot: protobuf.Root = protobuf.Root.fromJSON(milvusDescriptor);

export const MILVUS_SERVICE = 'milvus.proto.milvus.MilvusService';
export const TELEMETRY_SERVICE = 'milvus.proto.milvus.ClientTelemetryService';

const toObjectOptions: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

const types = new Map<string, protobuf.Type>();

/** A message type by full name (looked up once). */
export function messageType(typeName: string): protobuf.Type {
  let t = types.get(typeName);
  if (!t) {
    t = protoRoot.lookupType(typeName);
    types.set(typeName, t);
  }
  return t;
}

/** Decodes bytes of message type `typeName` into a plain object with the loader's conventions. */
export function decodeMessage<T>(typeName: string, bytes: Uint8Array): T {
  const type = messageType(typeName);
  return type.toObject(type.decode(bytes), toObjectOptions) as T;
}

/** Encodes a plain object as bytes of message type `typeName`. */
export function encodeMessage(typeName: string, value: Record<string, unknown>): Uint8Array {
  const type = messageType(typeName);
  return type.encode(type.fromObject(value)).finish();
}

/** Method names of a service, in descriptor order, with their request/response message names. */
export function serviceMethods(serviceName: string): { name: string; requestType: string; responseType: string; streaming: boolean }[] {
  const service = protoRoot.lookupService(serviceName);
  return Object.values(service.methods).map((m) => {
    m.resolve();
    return {
      name: m.name,
      requestType: m.resolvedRequestType!.fullName.slice(1),
      responseType: m.resolvedResponseType!.fullName.slice(1),
      streaming: m.requestStream === true || m.responseStream === true,
    };
  });
}

/** True when the message type has a `status` field (almost every Milvus reply does). */
export function hasStatusField(typeName: string): boolean {
  return protoRoot.lookupType(typeName).fields['status'] !== undefined;
}

/**
 * A reply of `typeName` with every singular message-typed field (except `status`) set to an empty
 * message, so failed calls still carry the typed sub-messages clients dereference.
 */
export function emptyReply(typeName: string): Record<string, unknown> {
  const type = protoRoot.lookupType(typeName);
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    if (f.name === 'status' || f.repeated || f.map || f.partOf) continue;
    if (f.resolve().resolvedType instanceof protobuf.Type) out[f.name] = {};
  }
  return out;
}

/** How the official Node SDK decodes replies (its grpc-js loader options). */
const SDK_VIEW: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

/**
 * A reply of `typeName` as the official SDK sees it after the wire: encoded with the descriptor and
 * decoded with the SDK's loader options (Int64 as strings, enums as names, defaults filled in). The
 * embedded client answers with this, so it returns what the SDK returns over gRPC.
 */
export function sdkView<T = Record<string, unknown>>(typeName: string, value: Record<string, unknown>): T {
  const type = messageType(typeName);
  return type.toObject(type.decode(type.encode(type.fromObject(value)).finish()), SDK_VIEW) as T;
}
