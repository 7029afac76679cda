/**
 * The single-node cluster calls, answered as Milvus standalone answers them: resource groups
 * (`__default_resource_group` holds this process's one query node, id 1; created groups are metadata in
 * the catalog and hold the node only when TransferNode moves it there), the replica check a load
 * makes (one node serves one replica per group), and GetMetrics' `system_info` topology JSON.
 * Facts from Milvus's querycoordv2 (meta/resource_manager.go, utils/meta.go) and metricsinfo.
 */
import { hostname } from 'node:os';
import { ErrorCode, MilvusError, milvusInvalidParam } from '../core/errors.js';
import type { CatalogState, ResourceGroupConfigMeta, ResourceGroupMeta } from '../storage/index.js';
import { checkName } from './names.js';

export const DEFAULT_RESOURCE_GROUP = '__default_resource_group';
/** Milvus's DefaultResourceGroupCapacity (the default group's limits and legacy capacity). */
const DEFAULT_RG_CAPACITY = 1_000_000;
const MAX_RESOURCE_GROUPS = 1024;
/** The one query node of this process. */
export const NODE_ID = 1;

export interface ResourceGroupInfo {
  name: string;
  capacity: number;
  availableNodes: number;
  /** collection name → replicas loaded in this group */
  loadedReplicas: Record<string, number>;
  config: ResourceGroupConfigMeta;
  nodes: number[];
}

function rgNotFound(name: string): MilvusError {
  return new MilvusError(ErrorCode.ResourceGroupNotFound, `resource group not found[rg=${name}]`);
}

function illegalConfig(name: string, why: string): MilvusError {
  return new MilvusError(ErrorCode.ResourceGroupIllegalConfig, `${why}: resource group illegal config[rg=${name}]`);
}

export function nodeNotEnough(rg: string, current: number, expected: number): MilvusError {
  return new MilvusError(ErrorCode.ResourceGroupNodeNotEnough, `resource group node not enough[rg=${rg}][currentNodeNum=${current}][expectedNodeNum=${expected}]`);
}

/** A config as the SDK sends it (`{requests: {node_num}, limits: {node_num}, transfer_from: [{resource_group}], ...}`). */
export function configFromWire(raw: unknown, fallback: ResourceGroupConfigMeta): ResourceGroupConfigMeta {
  if (raw === null || raw === undefined || typeof raw !== 'object') return { ...fallback };
  const c = raw as Record<string, unknown>;
  const num = (v: unknown, d: number): number => {
    const n = Number((v as { node_num?: unknown } | undefined)?.node_num ?? NaN);
    return Number.isFinite(n) ? n : d;
  };
  const groups = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String((x as { resource_group?: unknown }).resource_group ?? '')) : []);
  return {
    requests: num(c['requests'], fallback.requests),
    limits: num(c['limits'], fallback.limits),
    transferFrom: groups(c['transfer_from']),
    transferTo: groups(c['transfer_to']),
  };
}

export class ResourceGroups {
  constructor(
    private readonly catalog: () => CatalogState,
    private readonly commit: () => Promise<void>,
    /** Names of the loaded collections whose replica is in `group`. */
    private readonly loadedIn: (group: string) => string[],
  ) {}

  /** Every group, the default one first (created on first use; stored with the catalog). */
  private groups(): ResourceGroupMeta[] {
    const cat = this.catalog();
    const list = (cat.resourceGroups ??= []);
    if (!list.some((g) => g.name === DEFAULT_RESOURCE_GROUP)) {
      list.unshift({ name: DEFAULT_RESOURCE_GROUP, config: { requests: 0, limits: DEFAULT_RG_CAPACITY, transferFrom: [], transferTo: [] }, nodes: [NODE_ID] });
    }
    return list;
  }

  get(name: string): ResourceGroupMeta {
    const g = this.groups().find((x) => x.name === name);
    if (!g) throw rgNotFound(name);
    return g;
  }

  has(name: string): boolean {
    return this.groups().some((g) => g.name === name);
  }

  list(): string[] {
    return this.groups().map((g) => g.name);
  }

  private validate(name: string, cfg: ResourceGroupConfigMeta, known: Set<string>): void {
    if (!Number.isInteger(cfg.requests) || cfg.requests < 0) throw illegalConfig(name, 'requests node num in resource group should not be less than 0');
    if (!Number.isInteger(cfg.limits) || cfg.limits < 0) throw illegalConfig(name, 'limits node num in resource group should not be less than 0');
    if (cfg.requests > cfg.limits) throw illegalConfig(name, 'limits node num in resource group should not be less than requests node num');
    for (const [what, list] of [['TransferFrom', cfg.transferFrom], ['TransferTo', cfg.transferTo]] as const) {
      for (const rg of list) {
        if (rg === name) throw illegalConfig(name, `resource group in \`${what}\` ${name} should not be itself`);
        if (!known.has(rg)) throw illegalConfig(name, `resource group in \`${what}\` ${rg} not exist`);
      }
    }
  }

  /** Creates a group with no node (as a config of requests/limits 0 unless given); the same config again is no error. */
  async create(name: string, rawConfig: unknown): Promise<void> {
    checkName('resource_group', name);
    const cfg = configFromWire(rawConfig, { requests: 0, limits: 0, transferFrom: [], transferTo: [] });
    const existing = this.groups().find((g) => g.name === name);
    if (existing) {
      if (JSON.stringify(existing.config) === JSON.stringify(cfg)) return;
      throw new MilvusError(ErrorCode.ResourceGroupAlreadyExist, `resource group already exist, but create with different config[rg=${name}]`);
    }
    if (this.groups().length >= MAX_RESOURCE_GROUPS) throw new MilvusError(ErrorCode.ResourceGroupReachLimit, `resource group num reach limit[limit=${MAX_RESOURCE_GROUPS}]`);
    this.validate(name, cfg, new Set(this.list()));
    this.groups().push({ name, config: cfg, nodes: [] });
    await this.commit();
  }

  /** Replaces the configs of existing groups (all checked before any changes). */
  async update(configs: Record<string, unknown>): Promise<void> {
    const known = new Set(this.list());
    const next = new Map<string, ResourceGroupConfigMeta>();
    for (const [name, raw] of Object.entries(configs)) {
      const g = this.get(name);
      const cfg = configFromWire(raw, g.config);
      this.validate(name, cfg, known);
      next.set(name, cfg);
    }
    for (const [name, cfg] of next) this.get(name).config = cfg;
    await this.commit();
  }

  /** Drops a group; one that does not exist is no error (as Milvus). */
  async drop(name: string): Promise<void> {
    if (name === DEFAULT_RESOURCE_GROUP) throw paramInvalid('not default resource group', name, 'default resource group is not deletable');
    const g = this.groups().find((x) => x.name === name);
    if (!g) return;
    const loaded = this.loadedIn(name);
    if (loaded.length > 0) throw paramInvalid('empty resource group', `resource group ${name} has collection ${loaded[0]} loaded`);
    if (g.config.limits !== 0) throw paramInvalid('not empty resource group', name, "resource group's limits node num is not 0");
    if (g.nodes.length > 0) throw paramInvalid('not empty resource group', `node ${g.nodes[0]} is still in the resource group`);
    for (const other of this.groups()) {
      if (other.config.transferFrom.includes(name)) throw paramInvalid('not `TransferFrom` of resource group', name, `resource group ${name} is used by ${other.name}'s \`TransferFrom\`, remove that configuration first`);
      if (other.config.transferTo.includes(name)) throw paramInvalid('not `TransferTo` of resource group', name, `resource group ${name} is used by ${other.name}'s \`TransferTo\`, remove that configuration first`);
    }
    this.catalog().resourceGroups = this.groups().filter((x) => x.name !== name);
    await this.commit();
  }

  /** Moves `count` nodes from `source` to `target` (Milvus adjusts both configs' requests and limits). */
  async transferNode(source: string, target: string, count: number): Promise<void> {
    const from = this.get(source);
    const to = this.get(target);
    if (!Number.isInteger(count) || count <= 0) throw milvusInvalidParam(`transfer node num can't be [${count}]`);
    if (from.nodes.length < count) throw nodeNotEnough(source, from.nodes.length, count);
    const moved = from.nodes.slice(0, count);
    from.nodes = from.nodes.slice(count);
    to.nodes = [...to.nodes, ...moved];
    from.config.requests = Math.max(0, from.config.requests - count);
    if (source !== DEFAULT_RESOURCE_GROUP) from.config.limits = Math.max(0, from.config.limits - count);
    to.config.requests += count;
    if (to.config.requests > to.config.limits) to.config.limits = to.config.requests;
    await this.commit();
  }

  /** The check a load makes: its groups exist and each has a node per replica placed there. */
  checkLoad(groups: string[], replicas: number): string {
    const names = groups.length > 0 ? groups : [DEFAULT_RESOURCE_GROUP];
    if (!Number.isInteger(replicas) || replicas < 0) throw milvusInvalidParam(`replica number can't be negative, got ${replicas}`);
    const n = replicas === 0 ? 1 : replicas;
    if (names.length > 1 && names.length !== n) {
      throw milvusInvalidParam(`replica=[${n}] resource group=[${names.join(', ')}], resource group num can only be 0, 1 or same as replica number`);
    }
    const perGroup = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const rg = names[names.length === 1 ? 0 : i]!;
      perGroup.set(rg, (perGroup.get(rg) ?? 0) + 1);
    }
    for (const [rg, want] of perGroup) {
      const g = this.get(rg);
      if (want > g.nodes.length) throw nodeNotEnough(rg, g.nodes.length, want);
    }
    return names[0]!;
  }

  describe(name: string): ResourceGroupInfo {
    const g = this.get(name);
    const loadedReplicas: Record<string, number> = {};
    for (const c of this.loadedIn(name)) loadedReplicas[c] = 1;
    return {
      name,
      capacity: name === DEFAULT_RESOURCE_GROUP ? DEFAULT_RG_CAPACITY : g.config.requests,
      availableNodes: g.nodes.length,
      loadedReplicas,
      config: { ...g.config, transferFrom: [...g.config.transferFrom], transferTo: [...g.config.transferTo] },
      nodes: [...g.nodes],
    };
  }
}

/** merr.WrapErrParameterInvalid(expected, actual, msg): "<msg>: invalid parameter[expected=..][actual=..]". */
function paramInvalid(expected: string, actual: string, msg?: string): MilvusError {
  const base = `invalid parameter[expected=${expected}][actual=${actual}]`;
  return new MilvusError(ErrorCode.ParameterInvalid, msg ? `${msg}: ${base}` : base);
}

/** The node's address and name in system_info. */
export function nodeHost(): { ip: string; hostname: string } {
  return { ip: '127.0.0.1', hostname: hostname() };
}

export interface SystemInfoInput {
  version: string;
  startedAt: number;
  cpuCount: number;
  cpuUsage: number;
  memory: number;
  memoryUsage: number;
}

/**
 * GetMetrics `{"metric_type": "system_info"}`: Milvus's SystemTopology JSON as a standalone proxy
 * answers it (metricsinfo.SystemTopology: `nodes_info[]` of `{identifier, connected[], infos}`, each
 * `infos` a BaseComponentInfos). Every role is this one process.
 */
export function systemInfoJson(input: SystemInfoInput): string {
  const host = nodeHost();
  const created = new Date(input.startedAt).toISOString();
  const updated = new Date().toISOString();
  const hardware = {
    ip: `${host.ip}`,
    cpu_core_count: input.cpuCount,
    cpu_core_usage: input.cpuUsage,
    memory: input.memory,
    memory_usage: input.memoryUsage,
    disk: 0,
    disk_usage: 0,
  };
  const system = { system_version: input.version, deploy_mode: 'STANDALONE', build_version: input.version, build_time: created, used_go_version: '' };
  const roles = ['proxy', 'rootcoord', 'querycoord', 'datacoord', 'querynode', 'datanode'];
  const node = (type: string, i: number): Record<string, unknown> => ({
    identifier: i + 1,
    connected: type === 'proxy' ? roles.slice(1).map((t, j) => ({ connected_identifier: j + 2, type: 'forward', target_type: t })) : [],
    infos: { has_error: false, error_reason: '', name: `${type}${NODE_ID}`, hardware_infos: hardware, system_info: system, created_time: created, updated_time: updated, type, id: NODE_ID },
  });
  return JSON.stringify({ nodes_info: roles.map(node) });
}
