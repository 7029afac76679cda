/** What a REST route is: a function from the engine + parsed body to the reply's `data`. */
import type { Engine } from '../../engine/engine.js';
import type { Body } from './body.js';

/** What a route gets: the engine, the parsed body and the database it names (`dbName`, default "default"). */
export interface RestContext {
  engine: Engine;
  body: Body;
  db: string;
  /** The signed-in user ('' when authentication is off). */
  user: string;
}

/** A route's answer when it needs top-level keys beside `data` (search's `topks`). */
export class RestReply {
  constructor(
    readonly data: unknown,
    readonly extra: Record<string, unknown> = {},
  ) {}
}

/** Returns `data` (undefined → `{}`), or a RestReply; throws MilvusError for `{code, message}`. */
export type RestRoute = (ctx: RestContext) => unknown;
