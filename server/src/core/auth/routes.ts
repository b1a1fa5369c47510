import { changePasswordBody, loginBody, me, okResponse, switchPostBody } from '@dutyledger/contracts';
import type { FastifyReply } from 'fastify';
import type { RoutePlugin } from '../route.js';
import { changePassword, describeMe, login, logout, resolveSession, SESSION_COOKIE, switchPost } from './service.js';

export const authRoutes: RoutePlugin = (app, { config }) => {
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: config.secureCookies });

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
      schema: { tags: ['auth'], summary: '登录', body: loginBody, response: { 200: me } },
    },
    async (req, reply) => {
      const { token } = await login(req.ctx, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] });
      setCookie(reply, token);
      const session = await resolveSession(req.ctx.db, token, config.sessionIdleMinutes);
      return describeMe(req.ctx.db, session);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { allowWhilePasswordChange: true }, schema: { tags: ['auth'], summary: '退出登录', response: { 200: okResponse } } },
    async (req, reply) => {
      await logout(req.ctx.db, req.cookies[SESSION_COOKIE]!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    { config: { allowWhilePasswordChange: true }, schema: { tags: ['auth'], summary: '当前用户', response: { 200: me } } },
    async (req) => describeMe(req.ctx.db, req.session!),
  );

  app.post(
    '/api/auth/password',
    {
      config: { allowWhilePasswordChange: true },
      schema: { tags: ['auth'], summary: '修改密码', body: changePasswordBody, response: { 200: okResponse } },
    },
    async (req) => {
      await changePassword(req.ctx, req.session!, req.body);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/switch-post',
    { schema: { tags: ['auth'], summary: '切换职务（单位）', body: switchPostBody, response: { 200: me } } },
    async (req) => {
      await switchPost(req.ctx.db, req.session!, req.body.postId);
      const session = await resolveSession(req.ctx.db, req.cookies[SESSION_COOKIE]!, config.sessionIdleMinutes);
      return describeMe(req.ctx.db, session);
    },
  );
};
