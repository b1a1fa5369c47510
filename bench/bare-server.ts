/**
 * The ceiling for the load test (bench/load.ts): a bare Fastify server with a pg pool of the same size as the
 * application's (10), one route doing one simple SELECT (a unit by primary key) on the same database. No session,
 * no scope, no schema validation. Run as its own process: `BARE_PG_URL=… BARE_PORT=… tsx bare-server.ts`.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.BARE_PG_URL, max: 10 });
const app = Fastify({ logger: false });
app.get<{ Querystring: { id: string } }>('/bare', async (req) => {
  const { rows } = await pool.query('SELECT id, name, type, path FROM units WHERE id = $1', [req.query.id]);
  return rows[0] ?? null;
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.BARE_PORT) });
console.log('[bare] listening');
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
