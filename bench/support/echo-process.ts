/** A webhook receiver in its own process (answers 200 with a small JSON body); sends its port over IPC. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((req, res) => {
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
  });
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, customer: { name: 'Mary Smith', tier: 'gold' }, got: size }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
