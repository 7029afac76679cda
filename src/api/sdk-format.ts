/** Engine results → the response objects of the official Node SDK (3.x), status included. */
import { dataTypeName, LoadState } from '../core/data-type.js';
import { LegacyErrorCode, MilvusError } from '../core/errors.js';
import type { FieldSchema } from '../core/schema.js';
import type { CollectionMeta, GrantMeta, IndexMeta, PrivilegeGroupMeta } from '../storage/index.js';
import type { Rbac, RbacSnapshot } from '../engine/rbac.js';
import { cpus, totalmem } from 'node:os';
import { ErrorCode, milvusInvalidParam } from '../core/errors.js';
import { systemInfoJson, NODE_ID, nodeHost, type ResourceGroupInfo } from '../engine/cluster.js';
import { LOCAL_NODE_ID, type CompactionJob, type ReplicaInfo, type SegmentInfo } from '../engine/maintenance.js';
import { importProgress, type ImportJob } from '../engine/bulk-import.js';

const legacyName = new Map<number, string>(Object.entries(LegacyErrorCode).map(([k, v]) => [v, k]));

export interface ResStatus {
  error_code: string;
  reason: string;
  code: number;
  retriable: boolean;
  detail: string;
  extra_info: Record<string, unknown>;
}

export function okStatus(): ResStatus {
  return { error_code: 'Success', reason: '', code: 0, retriable: false, detail: '', extra_info: {} };
}

export function errorStatus(err: unknown): ResStatus {
  const e = MilvusError.from(err);
  const s = e.toStatus();
  return { error_code: legacyName.get(s.error_code) ?? 'UnexpectedError', reason: s.reason, code: s.code, retriable: s.retriable, detail: s.detail, extra_info: {} };
}

export function kv(obj: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(obj).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

/** Milvus hybrid timestamp (physical ms << 18) as a decimal string. */
export function hybridTs(ms: number): string {
  return (BigInt(ms) << 18n).toString();
}

export const consistencyName = ['Strong', 'Session', 'Bounded', 'Eventually', 'Customized'];

export const loadStateName: Record<number, string> = {
  [LoadState.NotExist]: 'LoadStateNotExist',
  [LoadState.NotLoad]: 'LoadStateNotLoad',
  [LoadState.Loading]: 'LoadStateLoading',
  [LoadState.Loaded]: 'LoadStateLoaded',
};

export const indexStateName = ['IndexStateNone', 'Unissued', 'InProgress', 'Finished', 'Failed', 'Retry'];

export function formatField(f: FieldSchema): Record<string, unknown> {
  const typeParams: Record<string, string> = { ...f.typeParams };
  if (f.dim !== undefined && f.dataType !== 104) typeParams.dim = String(f.dim);
  if (f.maxLength !== undefined) typeParams.max_length = String(f.maxLength);
  if (f.maxCapacity !== undefined) typeParams.max_capacity = String(f.maxCapacity);
  const out: Record<string, unknown> = {
    type_params: kv(typeParams),
    index_params: [],
    fieldID: String(f.fieldID),
    name: f.name,
    is_primary_key: f.isPrimaryKey,
    description: f.description,
    data_type: dataTypeName(f.dataType),
    autoID: f.autoID,
    state: 'FieldCreated',
    element_type: dataTypeName(f.elementType ?? 0),
    dataType: f.dataType,
    is_partition_key: f.isPartitionKey,
    is_dynamic: false,
    is_clustering_key: f.isClusteringKey,
    nullable: f.nullable,
    is_function_output: f.isFunctionOutput === true,
    ...typeParams,
  };
  out.default_value = f.defaultValue === undefined ? null : typeof f.defaultValue === 'bigint' ? f.defaultValue.toString() : f.defaultValue;
  return out;
}

/** Schema functions as DescribeCollection returns them (FunctionSchema: type as its enum name). */
export function formatFunctions(meta: CollectionMeta): Record<string, unknown>[] {
  const ids = new Map(meta.schema.fields.map((f) => [f.name, String(f.fieldID)]));
  return (meta.schema.functions ?? []).map((fn, i) => ({
    name: fn.name,
    id: String(100 + i),
    description: fn.description,
    type: fn.type,
    input_field_names: fn.inputFieldNames,
    input_field_ids: fn.inputFieldNames.map((n) => ids.get(n) ?? '0'),
    output_field_names: fn.outputFieldNames,
    output_field_ids: fn.outputFieldNames.map((n) => ids.get(n) ?? '0'),
    params: kv(fn.params),
  }));
}

export function formatCollection(meta: CollectionMeta): Record<string, unknown> {
  const fields = meta.schema.fields.filter((f) => !f.isDynamic).map(formatField);
  const anns: Record<string, unknown> = {};
  const scalars: Record<string, unknown> = {};
  for (const f of fields) ((f.dataType as number) >= 100 ? anns : scalars)[f.name as string] = f;
  return {
    status: okStatus(),
    schema: {
      name: meta.name,
      description: meta.schema.description,
      enable_dynamic_field: meta.schema.enableDynamicField,
      autoID: meta.schema.fields.some((f) => f.isPrimaryKey && f.autoID),
      fields,
      functions: formatFunctions(meta),
      struct_array_fields: [],
    },
    collectionID: String(meta.id),
    collection_name: meta.name,
    consistency_level: consistencyName[meta.consistencyLevel] ?? 'Bounded',
    aliases: [...meta.aliases],
    virtual_channel_names: [],
    physical_channel_names: [],
    start_positions: [],
    properties: kv(meta.properties),
    created_timestamp: hybridTs(meta.createdAt),
    created_utc_timestamp: String(meta.createdAt),
    shards_num: meta.shardsNum,
    num_partitions: String(meta.numPartitions || meta.partitions.length),
    db_name: meta.dbName,
    functions: formatFunctions(meta),
    update_timestamp_str: String(meta.createdAt),
    update_timestamp: meta.createdAt,
    anns_fields: anns,
    scalar_fields: scalars,
    function_fields: {},
  };
}

export function formatIndex(d: { meta: IndexMeta; indexedRows: number; totalRows: number; pendingRows: number; state: number; failReason: string }): Record<string, unknown> {
  const params: Record<string, unknown> = { index_type: d.meta.indexType };
  if (d.meta.metricType) params.metric_type = d.meta.metricType;
  params.params = JSON.stringify(d.meta.params);
  Object.assign(params, d.meta.properties);
  return {
    index_name: d.meta.indexName,
    indexID: String(d.meta.indexID),
    params: kv(params),
    field_name: d.meta.fieldName,
    indexed_rows: String(d.indexedRows),
    total_rows: String(d.totalRows),
    state: indexStateName[d.state] ?? 'IndexStateNone',
    index_state_fail_reason: d.failReason,
    pending_index_rows: String(d.pendingRows),
    index_type: d.meta.indexType,
    metric_type: d.meta.metricType,
  };
}

// ---------------------------------------------------------------- maintenance replies

/** GetCompactionState (enum names and int64 strings, as the SDK returns them). */
/** GetCompactionStateWithPlans: the state and each merge's sources → target. */
export function formatCompactionPlans(job: CompactionJob): Record<string, unknown> {
  return { state: job.state, mergeInfos: job.mergeInfos.map((m) => ({ sources: m.sources.map(String), target: String(m.target) })) };
}

export function formatCompactionState(job: CompactionJob): Record<string, unknown> {
  const running = job.state === 'Executing';
  return {
    state: job.state,
    executingPlanNo: String(running ? job.planCount : 0),
    timeoutPlanNo: '0',
    completedPlanNo: String(running ? 0 : job.error ? 0 : job.merged),
    failedPlanNo: String(!running && job.error ? Math.max(1, job.planCount) : 0),
  };
}

/** GetQuerySegmentInfo (`served`: segments a loaded collection searches) or GetPersistentSegmentInfo. */
export function formatSegmentInfos(infos: SegmentInfo[], served: boolean): Record<string, unknown>[] {
  return infos.map((s) => ({
    segmentID: String(s.segmentID),
    collectionID: String(s.collectionID),
    partitionID: String(s.partitionID),
    ...(served ? { mem_size: String(s.memSize) } : {}),
    num_rows: String(s.numRows),
    ...(served ? { index_name: s.indexName, indexID: String(s.indexID), nodeID: String(LOCAL_NODE_ID) } : {}),
    // A query node reports the segments it serves as Growing or Sealed.
    state: served && s.state !== 'Growing' ? 'Sealed' : s.state,
    ...(served ? { nodeIds: [String(LOCAL_NODE_ID)] } : {}),
    level: 'L1',
    is_sorted: s.state !== 'Growing',
    storage_version: '0',
  }));
}

export function formatReplicas(list: ReplicaInfo[]): Record<string, unknown>[] {
  return list.map((r) => ({
    replicaID: String(r.replicaID),
    collectionID: String(r.collectionID),
    partition_ids: r.partitionIDs.map(String),
    shard_replicas: [],
    node_ids: r.nodeIDs.map(String),
    resource_group_name: r.resourceGroup,
    num_outbound_node: {},
  }));
}

/** GetImportState (enum name and int64 strings, as the SDK returns them). */
export function formatImportState(job: ImportJob): Record<string, unknown> {
  return {
    state: job.state,
    row_count: String(job.rows),
    id_list: [],
    infos: [
      { key: 'failed_reason', value: job.reason },
      { key: 'progress_percent', value: String(importProgress(job)) },
      { key: 'collection', value: job.collectionName },
      { key: 'files', value: job.files.join(',') },
    ],
    id: String(job.id),
    collection_id: String(job.collectionId),
    segment_ids: [],
    create_ts: String(Math.floor(job.createdAt / 1000)),
  };
}

// ---------------------------------------------------------------- roles and grants (SDK shapes)

/** One GrantEntity. */
export function formatGrant(g: GrantMeta): Record<string, unknown> {
  return { role: { name: g.role }, object: { name: g.objectType }, object_name: g.objectName, db_name: g.dbName, grantor: { user: { name: g.grantor }, privilege: { name: g.privilege } } };
}

/** SelectRole results: every role, or the one named; with its users when asked. */
export function formatRoles(rbac: Rbac, wanted: string, withUsers: boolean): Record<string, unknown>[] {
  return rbac
    .roles()
    .filter((r) => wanted === '' || r.name === wanted)
    .map((r) => ({ role: { name: r.name, description: r.description }, users: withUsers ? rbac.usersOf(r.name).map((name) => ({ name })) : [] }));
}

/** SelectUser results: every user, or the one named; with its roles when asked. */
export function formatUsers(rbac: Rbac, users: string[], wanted: string, withRoles: boolean): Record<string, unknown>[] {
  return users.filter((u) => wanted === '' || u === wanted).map((name) => ({ user: { name }, roles: withRoles ? rbac.rolesOf(name).map((r) => ({ name: r })) : [], description: '' }));
}

/** ListPrivilegeGroups: `{group_name, privileges: [{name}]}` per group. */
export function formatPrivilegeGroups(groups: PrivilegeGroupMeta[]): Record<string, unknown>[] {
  return groups.map((g) => ({ group_name: g.name, privileges: g.privileges.map((name) => ({ name })) }));
}

/** BackupRBAC's RBACMeta (password hashes as stored; RestoreRBAC takes them back as they are). */
export function formatRbacMeta(m: RbacSnapshot): Record<string, unknown> {
  return {
    users: m.users.map((u) => ({ user: u.name, password: u.passwordHash, roles: u.roles.map((name) => ({ name })) })),
    roles: m.roles.map((name) => ({ name })),
    grants: m.grants.map(formatGrant),
    privilege_groups: formatPrivilegeGroups(m.privilegeGroups),
  };
}

/** RestoreRBAC's RBACMeta as the engine takes it. */
export function parseRbacMeta(raw: unknown): RbacSnapshot {
  const m = (raw ?? {}) as Record<string, unknown>;
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const name = (v: unknown): string => String((v as { name?: unknown } | undefined)?.name ?? '');
  return {
    users: list(m['users']).map((u) => ({ name: String(u['user'] ?? ''), passwordHash: String(u['password'] ?? ''), roles: list(u['roles']).map(name) })),
    roles: list(m['roles']).map(name),
    grants: list(m['grants']).map((g) => {
      const grantor = (g['grantor'] ?? {}) as Record<string, unknown>;
      return { role: name(g['role']), objectType: name(g['object']), objectName: String(g['object_name'] ?? '*'), privilege: name(grantor['privilege']), dbName: String(g['db_name'] ?? 'default'), grantor: name(grantor['user']) };
    }),
    privilegeGroups: list(m['privilege_groups']).map((g) => ({ name: String(g['group_name'] ?? ''), privileges: list(g['privileges']).map(name) })),
  };
}

/** rg.ResourceGroupConfig as the wire carries it. */
function configToWire(c: ResourceGroupInfo['config']): Record<string, unknown> {
  return {
    requests: { node_num: c.requests },
    limits: { node_num: c.limits },
    transfer_from: c.transferFrom.map((resource_group) => ({ resource_group })),
    transfer_to: c.transferTo.map((resource_group) => ({ resource_group })),
  };
}

export function resourceGroupToWire(g: ResourceGroupInfo): Record<string, unknown> {
  const host = nodeHost();
  return {
    name: g.name,
    capacity: g.capacity,
    num_available_node: g.availableNodes,
    num_loaded_replica: g.loadedReplicas,
    num_outgoing_node: {},
    num_incoming_node: {},
    config: configToWire(g.config),
    nodes: g.nodes.map((node_id) => ({ node_id: String(node_id), address: host.ip, hostname: host.hostname })),
  };
}

/** The system_info JSON of this process (what the SDK's getMetric parses). */
export function metricsReply(request: string, version: string, startedAt: number): { response: string; component_name: string } {
  let parsed: { metric_type?: unknown };
  try {
    parsed = JSON.parse(request || '{}') as { metric_type?: unknown };
  } catch {
    throw milvusInvalidParam(`invalid metrics request: ${request}`);
  }
  const metricType = String(parsed.metric_type ?? '');
  // Milvus's proxy answers only system_info here; other types get merr.ErrMetricNotFound (1200).
  if (metricType !== 'system_info') throw new MilvusError(ErrorCode.MetricNotFound, `metric not found[metric=${metricType}]`);
  const usage = process.cpuUsage();
  const upSeconds = Math.max(1e-3, process.uptime());
  const response = systemInfoJson({
    version,
    startedAt,
    cpuCount: cpus().length,
    cpuUsage: Math.round(((usage.user + usage.system) / 1e6 / upSeconds) * 100) / 100,
    memory: totalmem(),
    memoryUsage: process.memoryUsage().rss,
  });
  return { response, component_name: `proxy${NODE_ID}` };
}

