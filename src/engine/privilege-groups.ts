/**
 * Milvus's privilege groups (2.5/2.6): the nine built-in groups of the "RBAC v2" model, at three levels
 * (Collection*, Database*, Cluster*), the three legacy ones (ReadOnly, ReadWrite on collections, Admin
 * globally), and the level of a privilege (the first of the Cluster, Database and Collection admin
 * lists that holds it). Lists as in Milvus's pkg/util/constant.go and paramtable/rbac_param.go.
 */

const COLLECTION_READ_ONLY = [
  'Query', 'Search', 'IndexDetail', 'GetFlushState', 'GetLoadState', 'GetLoadingProgress', 'HasPartition', 'ShowPartitions',
  'DescribeCollection', 'DescribeAlias', 'GetStatistics', 'ListAliases',
];
const COLLECTION_READ_WRITE = [
  ...COLLECTION_READ_ONLY,
  'Load', 'Release', 'Insert', 'Delete', 'Upsert', 'Import', 'Flush', 'Compaction', 'LoadBalance', 'CreateIndex', 'DropIndex',
  'CreatePartition', 'DropPartition',
];
const COLLECTION_ADMIN = [...COLLECTION_READ_WRITE, 'CreateAlias', 'DropAlias'];
const DATABASE_READ_ONLY = ['ShowCollections', 'DescribeDatabase'];
const DATABASE_READ_WRITE = [...DATABASE_READ_ONLY, 'AlterDatabase'];
const DATABASE_ADMIN = [...DATABASE_READ_WRITE, 'CreateCollection', 'DropCollection'];
const CLUSTER_READ_ONLY = ['ListDatabases', 'SelectOwnership', 'SelectUser', 'DescribeResourceGroup', 'ListResourceGroups', 'ListPrivilegeGroups'];
const CLUSTER_READ_WRITE = [...CLUSTER_READ_ONLY, 'FlushAll', 'TransferNode', 'TransferReplica', 'UpdateResourceGroups'];
const CLUSTER_ADMIN = [
  ...CLUSTER_READ_WRITE,
  'BackupRBAC', 'RestoreRBAC', 'CreateDatabase', 'DropDatabase', 'CreateOwnership', 'DropOwnership', 'ManageOwnership',
  'CreateResourceGroup', 'DropResourceGroup', 'UpdateUser', 'RenameCollection', 'CreatePrivilegeGroup', 'DropPrivilegeGroup',
  'OperatePrivilegeGroup',
];

/** The nine built-in groups, in the order ListPrivilegeGroups lists them. */
export const BUILTIN_PRIVILEGE_GROUPS: readonly { name: string; privileges: readonly string[] }[] = [
  { name: 'ClusterReadOnly', privileges: CLUSTER_READ_ONLY },
  { name: 'ClusterReadWrite', privileges: CLUSTER_READ_WRITE },
  { name: 'ClusterAdmin', privileges: CLUSTER_ADMIN },
  { name: 'DatabaseReadOnly', privileges: DATABASE_READ_ONLY },
  { name: 'DatabaseReadWrite', privileges: DATABASE_READ_WRITE },
  { name: 'DatabaseAdmin', privileges: DATABASE_ADMIN },
  { name: 'CollectionReadOnly', privileges: COLLECTION_READ_ONLY },
  { name: 'CollectionReadWrite', privileges: COLLECTION_READ_WRITE },
  { name: 'CollectionAdmin', privileges: COLLECTION_ADMIN },
];

const LEGACY_READ_ONLY = [
  'Query', 'Search', 'IndexDetail', 'GetFlushState', 'GetLoadState', 'GetLoadingProgress', 'HasPartition', 'ShowPartitions',
  'ShowCollections', 'ListAliases', 'ListDatabases', 'DescribeCollection', 'DescribeDatabase', 'DescribeAlias', 'GetStatistics',
];
const LEGACY_READ_WRITE = [
  ...LEGACY_READ_ONLY,
  'CreateIndex', 'DropIndex', 'CreatePartition', 'DropPartition', 'Load', 'Release', 'Insert', 'Delete', 'Upsert', 'Import', 'Flush',
  'Compaction', 'LoadBalance', 'RenameCollection', 'CreateAlias', 'DropAlias',
];
const LEGACY_ADMIN = [
  ...LEGACY_READ_WRITE,
  'CreateCollection', 'DropCollection', 'CreateOwnership', 'DropOwnership', 'SelectOwnership', 'ManageOwnership', 'SelectUser',
  'UpdateUser', 'BackupRBAC', 'RestoreRBAC', 'CreateResourceGroup', 'UpdateResourceGroups', 'DropResourceGroup',
  'DescribeResourceGroup', 'ListResourceGroups', 'TransferReplica', 'TransferNode', 'CreateDatabase', 'DropDatabase', 'AlterDatabase',
];

/** The 2.4 groups that the V1 grant API takes as privileges (ReadOnly/ReadWrite on Collection, Admin on Global). */
export const LEGACY_PRIVILEGE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  ReadOnly: LEGACY_READ_ONLY,
  ReadWrite: LEGACY_READ_WRITE,
  Admin: LEGACY_ADMIN,
};

export function builtinGroup(name: string): readonly string[] | undefined {
  return BUILTIN_PRIVILEGE_GROUPS.find((g) => g.name === name)?.privileges ?? LEGACY_PRIVILEGE_GROUPS[name];
}

export function isBuiltinV2Group(name: string): boolean {
  return BUILTIN_PRIVILEGE_GROUPS.some((g) => g.name === name);
}

export type PrivilegeLevel = 'Cluster' | 'Database' | 'Collection' | '';

/** Milvus's GetPrivilegeLevel: where a privilege may be granted with the V2 API. */
export function privilegeLevel(privilege: string): PrivilegeLevel {
  if (CLUSTER_ADMIN.includes(privilege)) return 'Cluster';
  if (DATABASE_ADMIN.includes(privilege)) return 'Database';
  if (COLLECTION_ADMIN.includes(privilege)) return 'Collection';
  return '';
}
