/**
 * A floor for invoke: a bare Fastify route that forwards a call's arguments to a webhook with
 * undici and wraps the answer in Flowyte's envelope, with none of Flowyte's work (no key, no
 * validation, no signature, no record). What an invoke costs above this is Flowyte's own.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const target = new URL(process.env.FORWARD_TO!);
const pool = new Pool(target.origin, { connections: 128 });

function forward(body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pool.dispatch(
      { path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body },
      {
        onRequestStart: () => {},
        onResponseData: (_c, chunk) => void chunks.push(chunk),
        onResponseEnd: () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))),
        onResponseError: (_c, e) => reject(e),
      },
    );
  });
}

const app = Fastify({ logger: false });
app.post('/forward', async (req) => {
  const started = performance.now();
  const result = await forward(JSON.stringify((req.body as { arguments: unknown }).arguments));
  return { success: true, data: { result, durationMs: performance.now() - started } };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.send?.('ready');
