/**
 * A real webhook receiver on 127.0.0.1 for tests (and demos): records every request with its raw
 * body and answers through a swappable handler. Default answer: 200 with the JSON it received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
}

export type ReceiverHandler = (req: ReceivedRequest, res: http.ServerResponse) => void;

export interface WebhookReceiver {
  port: number;
  requests: ReceivedRequest[];
  /** Sockets opened so far: shows whether calls reuse keep-alive connections. */
  connections: () => number;
  handle: (handler: ReceiverHandler) => void;
  close: () => Promise<void>;
}

export const echoHandler: ReceiverHandler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ received: req.rawBody ? JSON.parse(req.rawBody) : null }));
};

export async function startWebhookReceiver(handler: ReceiverHandler = echoHandler): Promise<WebhookReceiver> {
  let current = handler;
  let connections = 0;
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      current(received, res);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    connections: () => connections,
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
