/** Builds the Fastify app: cross-cutting plugins, then every module's routes, then the web app. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Config } from './config.js';
import { attachmentRoutes } from './core/attachments/routes.js';
import { assertHashAvailable } from './core/audit.js';
import { authRoutes } from './core/auth/routes.js';
import { AppError } from './core/errors.js';
import { type RouteInfo, registerHttpCore } from './core/http.js';
import { notificationRoutes } from './core/notifications/routes.js';
import type { App, RoutePlugin } from './core/route.js';
import { systemRoutes } from './core/system/routes.js';
import type { Database } from './db/client.js';
import { accountabilityRoutes } from './modules/accountability/routes.js';
import { assessmentRoutes } from './modules/assessment/routes.js';
import { channelRoutes } from './modules/channels/routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { responsibilityRoutes } from './modules/duty/responsibility-routes.js';
import { dutyRoutes } from './modules/duty/routes.js';
import { ledgerRoutes } from './modules/ledger/routes.js';
import { complianceRoutes } from './modules/meetings/compliance-routes.js';
import { meetingRoutes } from './modules/meetings/routes.js';
import { studyRoutes } from './modules/meetings/study-routes.js';
import { opinionRoutes } from './modules/opinion/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { outputRoutes } from './modules/outputs/routes.js';
import { rectifyRoutes } from './modules/rectify/routes.js';
import { reportRoutes } from './modules/reports/routes.js';

/** Every route plugin of the platform, core first; a new module adds its own here. */
export const routePlugins: RoutePlugin[] = [
  systemRoutes,
  authRoutes,
  attachmentRoutes,
  notificationRoutes,
  orgRoutes,
  dutyRoutes,
  responsibilityRoutes,
  meetingRoutes,
  dashboardRoutes,
  studyRoutes,
  opinionRoutes,
  complianceRoutes,
  channelRoutes,
  reportRoutes,
  rectifyRoutes,
  accountabilityRoutes,
  outputRoutes,
  ledgerRoutes,
  assessmentRoutes,
];

export interface BuiltApp {
  app: App;
  /** every /api route as registered (method, url, public): the scope matrix test walks it */
  routeTable: RouteInfo[];
}

export async function buildApp(
  database: Database,
  config: Config,
  opts: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<BuiltApp> {
  assertHashAvailable(config.auditHash); // DUTYLEDGER_AUDIT_HASH=sm3 on a Node without SM3: refuse to start
  const app = Fastify({
    logger: opts.logger ?? (process.env.DUTYLEDGER_LOG_LEVEL ? { level: process.env.DUTYLEDGER_LOG_LEVEL } : false),
    trustProxy: process.env.DUTYLEDGER_TRUST_PROXY === 'true',
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // cookies are parsed before the session hook of registerHttpCore runs
  await app.register(cookie);
  // security headers before the session hook too: a request that hook refuses (401, CSRF 403) gets them as well
  // helmet's middleware is built once; @fastify/helmet built it again for every request (parsing the CSP each time)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd's CSS-in-JS injects style elements
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  const routeTable: RouteInfo[] = [];
  registerHttpCore(app, database, config, routeTable);

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('RATE_LIMITED', '登录尝试过于频繁，请稍后再试'),
  });
  await app.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10, fieldSize: 10_000 } });
  await app.register(swagger, {
    openapi: { info: { title: 'DutyLedger 责任制台账 API', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  for (const plugin of routePlugins) await plugin(app, { database, config });

  const index = join(config.webDist, 'index.html');
  if (existsSync(index)) {
    await app.register(fastifyStatic, { root: config.webDist, wildcard: false, index: false });
    // the SPA's own routes: any GET outside /api gets index.html
    app.get('/*', { schema: { hide: true }, config: { public: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) throw new AppError('NOT_FOUND', '接口不存在');
      return reply.sendFile('index.html');
    });
  }
  await app.ready();
  return { app, routeTable };
}
