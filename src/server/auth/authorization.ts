/**
 * What each call needs, in Milvus's privilege model (engine/rbac.ts), and the check itself. Used by
 * both transports when authentication is on: gRPC by method name, REST by mapping its path to the
 * same method. A call not listed here and not open to every signed-in user needs the admin role.
 */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { ObjectType } from '../../engine/rbac.js';

/**
 * Where a call names its object: a collection (`collection_name`, each of `collection_names`,
 * `collectionName`, or the collection of the import / compaction job it asks about), a user, or
 * nothing (`*`).
 */
type ObjectKey = 'collection' | 'collections' | 'segmentCollection' | 'importJob' | 'compactionJob' | 'user' | 'none';

interface Requirement {
  type: ObjectType;
  privilege: string;
  object: ObjectKey;
}

const c = (privilege: string, object: ObjectKey = 'collection'): Requirement => ({ type: 'Collection', privilege, object });
const g = (privilege: string): Requirement => ({ type: 'Global', privilege, object: 'none' });
const u = (privilege: string): Requirement => ({ type: 'User', privilege, object: 'user' });

const REQUIREMENTS: Readonly<Record<string, Requirement>> = {
  CreateIndex: c('CreateIndex'),
  DropIndex: c('DropIndex'),
  DescribeIndex: c('IndexDetail'),
  GetIndexState: c('IndexDetail'),
  GetIndexBuildProgress: c('IndexDetail'),
  GetIndexStatistics: c('IndexDetail'),
  LoadCollection: c('Load'),
  LoadPartitions: c('Load'),
  GetLoadingProgress: c('GetLoadingProgress'),
  GetLoadState: c('GetLoadState'),
  ReleaseCollection: c('Release'),
  ReleasePartitions: c('Release'),
  Insert: c('Insert'),
  Delete: c('Delete'),
  TruncateCollection: c('Delete'),
  Upsert: c('Upsert'),
  Search: c('Search'),
  HybridSearch: c('Search'),
  Query: c('Query'),
  Flush: c('Flush', 'collections'),
  GetFlushState: c('GetFlushState', 'none'),
  GetCollectionStatistics: c('GetStatistics'),
  GetPartitionStatistics: c('GetStatistics'),
  GetQuerySegmentInfo: c('GetStatistics', 'segmentCollection'),
  GetPersistentSegmentInfo: c('GetStatistics', 'segmentCollection'),
  GetReplicas: c('GetStatistics'),
  ManualCompaction: c('Compaction'),
  GetCompactionState: c('Compaction', 'compactionJob'),
  Import: c('Import'),
  GetImportState: c('Import', 'importJob'),
  ListImportTasks: c('Import'),
  CreatePartition: c('CreatePartition'),
  DropPartition: c('DropPartition'),
  ShowPartitions: c('ShowPartitions'),
  HasPartition: c('HasPartition'),
  CreateCollection: g('CreateCollection'),
  DropCollection: g('DropCollection'),
  DescribeCollection: g('DescribeCollection'),
  HasCollection: g('DescribeCollection'),
  BatchDescribeCollection: g('DescribeCollection'),
  ShowCollections: g('ShowCollections'),
  RenameCollection: g('RenameCollection'),
  FlushAll: g('FlushAll'),
  GetFlushAllState: g('FlushAll'),
  CreateDatabase: g('CreateDatabase'),
  DropDatabase: g('DropDatabase'),
  ListDatabases: g('ListDatabases'),
  DescribeDatabase: g('DescribeDatabase'),
  AlterDatabase: g('AlterDatabase'),
  CreateResourceGroup: g('CreateResourceGroup'),
  DropResourceGroup: g('DropResourceGroup'),
  UpdateResourceGroups: g('UpdateResourceGroups'),
  DescribeResourceGroup: g('DescribeResourceGroup'),
  ListResourceGroups: g('ListResourceGroups'),
  TransferNode: g('TransferNode'),
  TransferReplica: g('TransferReplica'),
  CreatePrivilegeGroup: g('CreatePrivilegeGroup'),
  DropPrivilegeGroup: g('DropPrivilegeGroup'),
  ListPrivilegeGroups: g('ListPrivilegeGroups'),
  OperatePrivilegeGroup: g('OperatePrivilegeGroup'),
  BackupRBAC: g('BackupRBAC'),
  RestoreRBAC: g('RestoreRBAC'),
  AlterIndex: c('CreateIndex'),
  GetCompactionStateWithPlans: c('Compaction', 'compactionJob'),
  CreateAlias: g('CreateAlias'),
  AlterAlias: g('CreateAlias'),
  DropAlias: g('DropAlias'),
  DescribeAlias: g('DescribeAlias'),
  ListAliases: g('ListAliases'),
  CreateCredential: g('CreateOwnership'),
  CreateRole: g('CreateOwnership'),
  DeleteCredential: g('DropOwnership'),
  DropRole: g('DropOwnership'),
  SelectRole: g('SelectOwnership'),
  SelectGrant: g('SelectOwnership'),
  ListCredUsers: g('SelectOwnership'),
  OperateUserRole: g('ManageOwnership'),
  OperatePrivilege: g('ManageOwnership'),
  OperatePrivilegeV2: g('ManageOwnership'),
  UpdateCredential: u('UpdateUser'),
  SelectUser: u('SelectUser'),
};

/** Calls every signed-in user may make. */
const OPEN = new Set(['Connect', 'GetVersion', 'CheckHealth', 'ClientHeartbeat', 'AllocTimestamp', 'GetComponentStates', 'GetMetrics']);

function canonicalCollection(engine: Engine, name: string, db: string): string {
  try {
    return engine.catalog.describeCollection({ collection_name: name, db_name: db }).name;
  } catch {
    return name;
  }
}

/** The collection a job ran on ('*' when the job is unknown: the call then fails on its own). */
function jobCollection(engine: Engine, key: ObjectKey, req: Record<string, unknown>): string {
  try {
    if (key === 'importJob') return engine.jobs.getImportState({ task: req['task'] }).collectionName;
    return engine.catalog.collectionNameOf(engine.jobs.getCompactionState({ compactionID: req['compactionID'] }).collectionId) ?? '*';
  } catch {
    return '*';
  }
}

function names(engine: Engine, req: Record<string, unknown>, key: ObjectKey): string[] {
  const s = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '*');
  switch (key) {
    case 'importJob':
    case 'compactionJob':
      return [jobCollection(engine, key, req)];
    case 'collection':
      return [s(req['collection_name'])];
    case 'collections':
      return Array.isArray(req['collection_names']) && req['collection_names'].length > 0 ? (req['collection_names'] as unknown[]).map(s) : ['*'];
    case 'segmentCollection':
      return [s(req['collectionName'])];
    case 'user':
      return [s(req['username'] ?? (req['user'] as { name?: unknown } | undefined)?.name)];
    default:
      return ['*'];
  }
}

/**
 * Null when `user` may make the call `method` with request `req` in database `db`; else the
 * PrivilegeNotPermitted error to answer with. Users may always read and change themselves.
 */
export function authorize(engine: Engine, user: string, method: string, req: Record<string, unknown>, db: string): MilvusError | null {
  if (OPEN.has(method)) return null;
  const rbac = engine.rbac;
  const need = REQUIREMENTS[method];
  if (!need) {
    return rbac.allowed(user, 'Global', '*', 'All', db) ? null : new MilvusError(ErrorCode.PrivilegeNotPermitted, `PrivilegeNotPermitted: ${method} needs the admin role (user ${user})`);
  }
  for (const given of names(engine, req, need.object)) {
    if (need.type === 'User' && given === user) continue;
    // Grants name collections, not aliases: an alias is checked as the collection it points to.
    const name = need.type === 'Collection' && given !== '*' ? canonicalCollection(engine, given, db) : given;
    if (!rbac.allowed(user, need.type, name, need.privilege, db)) {
      return new MilvusError(ErrorCode.PrivilegeNotPermitted, `PrivilegeNotPermitted: user ${user} needs privilege ${need.privilege} on ${need.type} ${name} in database ${db}`);
    }
  }
  return null;
}

/** The gRPC method a RESTful v2 path performs (for the same privilege check). */
export const REST_METHODS: Readonly<Record<string, string>> = {
  'collections/create': 'CreateCollection',
  'collections/describe': 'DescribeCollection',
  'collections/has': 'HasCollection',
  'collections/list': 'ShowCollections',
  'collections/drop': 'DropCollection',
  'collections/truncate': 'TruncateCollection',
  'collections/load': 'LoadCollection',
  'collections/refresh_load': 'LoadCollection',
  'collections/release': 'ReleaseCollection',
  'collections/get_load_state': 'GetLoadState',
  'collections/get_stats': 'GetCollectionStatistics',
  'collections/rename': 'RenameCollection',
  'collections/flush': 'Flush',
  'collections/compact': 'ManualCompaction',
  'collections/get_compaction_state': 'GetCompactionState',
  'collections/alter_properties': 'AlterCollection',
  'collections/drop_properties': 'AlterCollection',
  'collections/fields/add': 'AddCollectionField',
  'collections/fields/alter_properties': 'AlterCollectionField',
  'entities/insert': 'Insert',
  'entities/upsert': 'Upsert',
  'entities/delete': 'Delete',
  'entities/get': 'Query',
  'entities/query': 'Query',
  'entities/search': 'Search',
  'entities/hybrid_search': 'HybridSearch',
  'indexes/create': 'CreateIndex',
  'indexes/describe': 'DescribeIndex',
  'indexes/list': 'DescribeIndex',
  'indexes/drop': 'DropIndex',
  'partitions/create': 'CreatePartition',
  'partitions/drop': 'DropPartition',
  'partitions/has': 'HasPartition',
  'partitions/list': 'ShowPartitions',
  'partitions/get_stats': 'GetPartitionStatistics',
  'partitions/load': 'LoadPartitions',
  'partitions/release': 'ReleasePartitions',
  'aliases/create': 'CreateAlias',
  'aliases/alter': 'AlterAlias',
  'aliases/drop': 'DropAlias',
  'aliases/describe': 'DescribeAlias',
  'aliases/list': 'ListAliases',
  'databases/create': 'CreateDatabase',
  'databases/drop': 'DropDatabase',
  'databases/list': 'ListDatabases',
  'databases/describe': 'DescribeDatabase',
  'databases/alter': 'AlterDatabase',
  'databases/drop_properties': 'AlterDatabase',
  'indexes/alter_properties': 'AlterIndex',
  'indexes/drop_properties': 'AlterIndex',
  'privilege_groups/create': 'CreatePrivilegeGroup',
  'privilege_groups/drop': 'DropPrivilegeGroup',
  'privilege_groups/list': 'ListPrivilegeGroups',
  'privilege_groups/add_privileges_to_group': 'OperatePrivilegeGroup',
  'privilege_groups/remove_privileges_from_group': 'OperatePrivilegeGroup',
  'users/create': 'CreateCredential',
  'users/drop': 'DeleteCredential',
  'users/list': 'ListCredUsers',
  'users/describe': 'SelectUser',
  'users/update_password': 'UpdateCredential',
  'users/grant_role': 'OperateUserRole',
  'users/revoke_role': 'OperateUserRole',
  'roles/list': 'SelectRole',
  'roles/describe': 'SelectGrant',
  'roles/create': 'CreateRole',
  'roles/drop': 'DropRole',
  'roles/grant_privilege': 'OperatePrivilege',
  'roles/revoke_privilege': 'OperatePrivilege',
  'roles/grant_privilege_v2': 'OperatePrivilegeV2',
  'roles/revoke_privilege_v2': 'OperatePrivilegeV2',
  'jobs/import/create': 'Import',
  'jobs/import/get_progress': 'GetImportState',
  'jobs/import/list': 'ListImportTasks',
};

/** A REST body's names in the gRPC request keys the requirement table reads. */
export function restRequest(body: Record<string, unknown>): Record<string, unknown> {
  const coll = body['collectionName'];
  return { collection_name: coll, ...(typeof coll === 'string' ? { collection_names: [coll] } : {}), username: body['userName'] };
}
