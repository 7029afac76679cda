/**
 * Handshake and housekeeping: Connect (a non-zero identifier plus server_info, without which the Node
 * SDK refuses dynamic schemas and database APIs), GetVersion, CheckHealth, AllocTimestamp,
 * GetComponentStates, and the telemetry heartbeat the Node SDK sends every 10 s.
 */
import { MILVUS_API_VERSION } from '../../../engine/maintenance.js';
import type { HandlerTable } from './types.js';

/** Milvus hybrid timestamp: physical milliseconds << 18 | logical counter. */
let lastPhysical = 0;
let logical = 0;
export function hybridTimestamp(): string {
  const now = Date.now();
  if (now > lastPhysical) {
    lastPhysical = now;
    logical = 0;
  } else logical++;
  return ((BigInt(lastPhysical) << 18n) | BigInt(logical)).toString();
}

export const housekeepingHandlers: HandlerTable = {
  async Connect(_req, _ctx, env) {
    return {
      server_info: {
        build_tags: `elanus-${env.version}`,
        build_time: new Date(env.startedAt).toISOString(),
        git_commit: '',
        go_version: `node ${process.version}`,
        deploy_mode: 'STANDALONE',
        reserved: { elanus: env.version },
      },
      identifier: env.nextIdentifier(),
    };
  },

  async GetVersion() {
    return { version: MILVUS_API_VERSION };
  },

  async CheckHealth() {
    return { isHealthy: true, reasons: [], quota_states: [] };
  },

  async AllocTimestamp() {
    return { timestamp: hybridTimestamp() };
  },

  async GetComponentStates() {
    return { state: { nodeID: 1, role: 'Proxy', state_code: 1, extra_info: [] }, subcomponent_states: [] };
  },
};

export const telemetryHandlers: HandlerTable = {
  async ClientHeartbeat() {
    return { server_timestamp: Date.now(), commands: [] };
  },
};
