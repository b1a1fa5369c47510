import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';

/** The Fastify instance routes are declared on: zod schemas type the handlers and produce OpenAPI. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteDeps {
  database: Database;
  config: Config;
}

/** Every module exports one of these from its routes.ts; app.ts registers them. */
export type RoutePlugin = (app: App, deps: RouteDeps) => void | Promise<void>;
