/**
 * The one error type of Elanus. Every failure a caller can see is a `MilvusError` carrying one of
 * Milvus's stable numeric codes (`merr` codes) plus the legacy `error_code` enum the SDKs still check.
 * Transports map it exactly once: `toStatus()` for gRPC `Status` and the embedded client, `{code, message}`
 * for REST.
 */

/** Milvus numeric error codes (the `code` field of `common.Status`). */
export const ErrorCode = {
  Success: 0,
  ServiceNotReady: 1,
  ServiceInternal: 5,
  ServiceUnimplemented: 10,
  CollectionNotFound: 100,
  CollectionNotLoaded: 101,
  CollectionNumLimitExceeded: 102,
  CollectionLoaded: 104,
  CollectionIllegalSchema: 105,
  CollectionSchemaMismatch: 109,
  PartitionNotFound: 200,
  PartitionNotLoaded: 201,
  CapacityExceeded: 250,
  SegmentNotFound: 600,
  IndexNotFound: 700,
  IndexNotSupported: 701,
  IndexDuplicate: 702,
  DatabaseNotFound: 800,
  DatabaseNumLimitExceeded: 801,
  DatabaseInvalidName: 802,
  IoFailed: 1001,
  DataCorrupted: 1002,
  ParameterInvalid: 1100,
  ParameterMissing: 1101,
  ParameterTooLarge: 1102,
  MetricNotFound: 1200,
  ResourceGroupNotFound: 300,
  ResourceGroupAlreadyExist: 301,
  ResourceGroupReachLimit: 302,
  ResourceGroupIllegalConfig: 303,
  ResourceGroupNodeNotEnough: 304,
  PrivilegeNotAuthenticated: 1400,
  PrivilegeNotPermitted: 1401,
  AliasNotFound: 1600,
  AliasCollectionNameConflict: 1601,
  AliasAlreadyExist: 1602,
  UserNotFound: 1800,
  UserAlreadyExist: 1801,
  CollectionAlreadyExist: 1900,
  PartitionAlreadyExist: 1901,
  DatabaseAlreadyExist: 1902,
  DataDirLocked: 2000,
  ImportFailed: 2100,
  Unexpected: 65535,
} as const;

/** The legacy `common.ErrorCode` enum (`error_code` in a Status). The Node SDK only checks this. */
export const LegacyErrorCode = {
  Success: 0,
  UnexpectedError: 1,
  PermissionDenied: 3,
  CollectionNotExists: 4,
  IllegalArgument: 5,
  IllegalDimension: 7,
  IndexNotExist: 25,
  SchemaMismatch: 62,
} as const;

const legacyByCode: Partial<Record<number, number>> = {
  [ErrorCode.Success]: LegacyErrorCode.Success,
  [ErrorCode.CollectionNotFound]: LegacyErrorCode.CollectionNotExists,
  [ErrorCode.ParameterInvalid]: LegacyErrorCode.IllegalArgument,
  [ErrorCode.ParameterMissing]: LegacyErrorCode.IllegalArgument,
  [ErrorCode.ParameterTooLarge]: LegacyErrorCode.IllegalArgument,
  [ErrorCode.IndexNotFound]: LegacyErrorCode.IndexNotExist,
  [ErrorCode.CollectionSchemaMismatch]: LegacyErrorCode.SchemaMismatch,
  [ErrorCode.PrivilegeNotAuthenticated]: LegacyErrorCode.PermissionDenied,
  [ErrorCode.PrivilegeNotPermitted]: LegacyErrorCode.PermissionDenied,
};

/** The legacy `error_code` that goes with a Milvus code. */
export function legacyErrorCode(code: number): number {
  return legacyByCode[code] ?? LegacyErrorCode.UnexpectedError;
}

export class MilvusError extends Error {
  override readonly name = 'MilvusError';
  constructor(
    readonly code: number,
    message: string,
    readonly retriable = false,
  ) {
    super(message);
  }

  /** `common.Status` with both the numeric code and the legacy enum (as a number). */
  toStatus(): { error_code: number; code: number; reason: string; retriable: boolean; detail: string } {
    return { error_code: legacyErrorCode(this.code), code: this.code, reason: this.message, retriable: this.retriable, detail: this.message };
  }

  /** Any thrown value as a MilvusError: unknown failures become code 65535 with their message kept. */
  static from(err: unknown): MilvusError {
    if (err instanceof MilvusError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new MilvusError(ErrorCode.Unexpected, message);
  }
}

// ---- constructors for the common cases, so messages stay uniform ----

/** 1100: `field` breaks `rule`. The message names both, e.g. `invalid parameter "limit": must be in [1, 16384], got 0`. */
export function invalidParam(field: string, rule: string): MilvusError {
  return new MilvusError(ErrorCode.ParameterInvalid, `invalid parameter "${field}": ${rule}`);
}

/** 1100 with Milvus's own wording (`merr.WrapErrParameterInvalidMsg`: "<msg>: invalid parameter"). */
export function milvusInvalidParam(message: string): MilvusError {
  return new MilvusError(ErrorCode.ParameterInvalid, `${message}: invalid parameter`);
}

/** 1101: a required parameter is absent. */
export function missingParam(field: string): MilvusError {
  return new MilvusError(ErrorCode.ParameterMissing, `missing parameter "${field}"`);
}

export function collectionNotFound(name: string, db = 'default'): MilvusError {
  return new MilvusError(ErrorCode.CollectionNotFound, `collection not found[database=${db}][collection=${name}]`);
}

export function collectionNotLoaded(name: string): MilvusError {
  return new MilvusError(ErrorCode.CollectionNotLoaded, `collection not loaded[collection=${name}]`);
}

export function partitionNotFound(name: string): MilvusError {
  return new MilvusError(ErrorCode.PartitionNotFound, `partition not found[partition=${name}]`);
}

export function databaseNotFound(name: string): MilvusError {
  return new MilvusError(ErrorCode.DatabaseNotFound, `database not found[database=${name}]`);
}

export function indexNotFound(what: string): MilvusError {
  return new MilvusError(ErrorCode.IndexNotFound, `index not found[${what}]`);
}

/** 2100: a bulk import cannot go on; worded as Milvus's `merr.WrapErrImportFailed` (`<detail>: importing data failed`). */
export function importFailed(detail: string): MilvusError {
  return new MilvusError(ErrorCode.ImportFailed, `${detail}: importing data failed`);
}

export function unexpected(message: string): MilvusError {
  return new MilvusError(ErrorCode.Unexpected, message);
}

/** A file failed its magic/version/checksum check. The message names the file. */
export function dataCorrupted(file: string, what: string): MilvusError {
  return new MilvusError(ErrorCode.DataCorrupted, `data corrupted in ${file}: ${what}`);
}
