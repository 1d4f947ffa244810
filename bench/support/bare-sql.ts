/**
 * A floor for a SQL invoke: a bare Fastify route that runs one prepared statement on a warm pg
 * pool (the size the provider uses) and answers its rows in Flowyte's envelope, with none of
 * Flowyte's work (no key, no validation, no binding, no record).
 */
import Fastify from 'fastify';
import pg from 'pg';

const { sql, connection } = JSON.parse(process.env.BARE_SQL!) as { sql: string; connection: pg.PoolConfig };
const pool = new pg.Pool({ ...connection, max: 10 });

const app = Fastify({ logger: false });
app.post('/query', async (req) => {
  const started = performance.now();
  const value = Object.values((req.body as { arguments: Record<string, unknown> }).arguments)[0];
  const { rows } = await pool.query({ name: 'bare', text: sql, values: [value], rowMode: 'array' });
  return { success: true, data: { result: { rows }, durationMs: performance.now() - started } };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.send?.('ready');
