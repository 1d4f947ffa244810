/** The baseline: a bare Fastify route answering a fixed JSON body, run as its own process like the server. */
import Fastify from 'fastify';

const body = JSON.parse(process.env.BARE_BODY ?? '{"success":true,"data":[]}');
const app = Fastify({ logger: false });
app.get('/bare', async () => body);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.send?.('ready');
