/**
 * HTTP plumbing shared by every route: the request context (actor, db, settings), authentication,
 * CSRF, forced password change, and the mapping of every error to `{code, message, fields?}`.
 */
import type { ApiError } from '@dutyledger/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { csrfMatches, resolveSession, SESSION_COOKIE, type SessionRecord } from './auth/service.js';
import type { Ctx } from './context.js';
import { AppError, defaultMessages } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
    session: SessionRecord | null;
  }
  interface FastifyContextConfig {
    /** no session needed (login, health) */
    public?: boolean;
    /** reachable while the person must still change their password */
    allowWhilePasswordChange?: boolean;
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  /** the route's zod schemas, for the security suite's fuzzing */
  schema?: { body?: unknown; querystring?: unknown; params?: unknown };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Rejects NUL characters anywhere in a JSON body: PostgreSQL cannot store them in text. */
function containsNul(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
  return false;
}

/**
 * Whether a state-changing request comes from our own pages: a browser sends `Origin` (and
 * `Sec-Fetch-Site`) with every POST/PATCH/PUT/DELETE; one from another site is refused even before the
 * CSRF token is looked at, which also protects the public login route (login CSRF). Clients that send
 * neither header (CLI, scripts) are judged by the token alone. The origin must name the host the request
 * was sent to: the `Host` header, or behind a reverse proxy `X-Forwarded-Host` (a cross-site page cannot set
 * that header: no CORS here), so a proxy must pass one of them on (nginx: `proxy_set_header Host $http_host`).
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    const forwarded = String(req.headers['x-forwarded-host'] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    // read each candidate with the origin's scheme, so that default ports compare equal
    return [req.host, req.headers.host, ...forwarded].some((host) => !!host && new URL(`${o.protocol}//${host}`).host === o.host);
  } catch {
    return false; // `null` (sandboxed frame, file:) or garbage
  }
}

export function registerHttpCore(app: FastifyInstance, database: Database, config: Config, routeTable: RouteInfo[]): void {
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('session', null);

  app.addHook('onRoute', (opts) => {
    if (!opts.url.startsWith('/api/') || opts.url.startsWith('/api/docs')) return;
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      const schema = opts.schema as RouteInfo['schema'];
      routeTable.push({
        method,
        url: opts.url,
        public: opts.config?.public === true,
        schema: schema ? { body: schema.body, querystring: schema.querystring, params: schema.params } : undefined,
      });
    }
  });

  // authentication before validation: an anonymous caller learns nothing about a route's body schema
  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.ctx = { db: database.db, actor: null, config, ip: req.ip };
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs')) return;
    if (!SAFE_METHODS.has(req.method) && !sameOrigin(req)) throw new AppError('CSRF');
    const routeConfig = req.routeOptions.config;
    if (routeConfig?.public) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('UNAUTHENTICATED');
    const session = await resolveSession(database.db, token, config.sessionIdleMinutes);
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(session.csrfToken, req.headers['x-csrf-token'] as string | undefined)) {
      throw new AppError('CSRF');
    }
    if (session.mustChangePassword && !routeConfig?.allowWhilePasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    req.session = session;
    req.ctx.actor = session.actor;
  });

  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.body !== undefined && containsNul(req.body)) throw new AppError('VALIDATION', '内容中含有不允许的控制字符');
  });

  app.setErrorHandler((error: FastifyError, req, reply) => sendError(reply, toApiError(error, req)));

  app.setNotFoundHandler((_req, reply) => {
    sendError(reply, { status: 404, body: { code: 'NOT_FOUND', message: '接口不存在' } });
  });
}

function sendError(reply: FastifyReply, e: { status: number; body: ApiError }) {
  void reply.status(e.status).type('application/json; charset=utf-8').send(e.body);
}

const byStatus: Record<number, ApiError['code']> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  406: 'VALIDATION',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION',
  429: 'RATE_LIMITED',
  431: 'PAYLOAD_TOO_LARGE',
};

/** Known PostgreSQL error codes that client input can cause. */
const pgErrors: Record<string, { status: number; code: ApiError['code']; message: string }> = {
  '23505': { status: 409, code: 'CONFLICT', message: '记录已存在（名称或编号重复）' },
  '23503': { status: 409, code: 'CONFLICT', message: '关联的记录不存在或仍被引用' },
  '22P02': { status: 400, code: 'VALIDATION', message: '数据格式不正确' },
  '22001': { status: 400, code: 'VALIDATION', message: '内容过长' },
  '22003': { status: 400, code: 'VALIDATION', message: '数值超出范围' },
  '22007': { status: 400, code: 'VALIDATION', message: '日期格式不正确' },
  '22008': { status: 400, code: 'VALIDATION', message: '日期超出范围' },
  '22021': { status: 400, code: 'VALIDATION', message: '内容含有无效字符' },
  '40001': { status: 409, code: 'CONFLICT', message: '并发冲突，请重试' },
  '40P01': { status: 409, code: 'CONFLICT', message: '并发冲突，请重试' },
};

function pgCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toApiError(error: unknown, req?: FastifyRequest): { status: number; body: ApiError } {
  if (error instanceof AppError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields: Record<string, string> = {};
    for (const v of error.validation) {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.') || (error.validationContext ?? 'body');
      fields[path] ??= v.message ?? '格式不正确';
    }
    return { status: 400, body: { code: 'VALIDATION', message: defaultMessages.VALIDATION, fields } };
  }
  const pg = pgCode(error);
  if (pg && pgErrors[pg]) {
    const m = pgErrors[pg];
    return { status: m.status, body: { code: m.code, message: m.message } };
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (!isResponseSerializationError(error) && typeof status === 'number' && status >= 400 && status < 500) {
    const code = byStatus[status] ?? 'VALIDATION';
    const mapped = code === 'VALIDATION' && status !== 400 ? 400 : status;
    return { status: mapped, body: { code, message: defaultMessages[code] } };
  }
  req?.log.error({ err: error }, 'unhandled error');
  return { status: 500, body: { code: 'INTERNAL', message: defaultMessages.INTERNAL } };
}
