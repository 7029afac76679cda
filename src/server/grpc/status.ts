/**
 * `common.Status` on the wire. The Node SDK treats a reply as a success only when `error_code` (the
 * legacy enum) is 0 and pymilvus also checks `code`, so every Status carries both. Failures travel as a
 * gRPC OK with the Status inside the reply; only authentication failures use a gRPC status code.
 */
import { ErrorCode, MilvusError } from '../../core/errors.js';

export interface WireStatus {
  error_code: number;
  code: number;
  reason: string;
  retriable: boolean;
  detail: string;
}

const SUCCESS: WireStatus = Object.freeze({ error_code: 0, code: 0, reason: '', retriable: false, detail: '' });

export function okStatus(): WireStatus {
  return SUCCESS;
}

/** Any thrown value as a Status (unknown failures become 65535 / UnexpectedError with their message). */
export function errorStatus(err: unknown): WireStatus {
  return MilvusError.from(err).toStatus();
}

/** The reply for an RPC Elanus does not implement: code 10 (ServiceUnimplemented), legacy UnexpectedError. */
export function unsupportedError(method: string): MilvusError {
  return new MilvusError(ErrorCode.ServiceUnimplemented, `${method} is not supported by Elanus`);
}
