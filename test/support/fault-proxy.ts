/**
 * A TCP proxy in front of a real server that a test can break: `blackhole()` keeps every connection
 * open but forwards nothing either way (a paused process, a dropped route), `cut()` resets the
 * connections in flight, `refuse()` also closes new ones at once, `forward()` heals it.
 */
import net from 'node:net';

export interface FaultProxy {
  port: number;
  forward(): void;
  blackhole(): void;
  refuse(): void;
  /** Destroys every open connection (both sides); new ones follow the current mode. */
  cut(): number;
  close(): Promise<void>;
}

type Mode = 'forward' | 'blackhole' | 'refuse';

export async function faultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: Mode = 'forward';
  const pairs = new Set<[net.Socket, net.Socket | null]>();
  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const pair: [net.Socket, net.Socket | null] = [client, null];
    pairs.add(pair);
    client.on('close', () => {
      pair[1]?.destroy();
      pairs.delete(pair);
    });
    // In black-hole mode a new connection is accepted and never answered.
    if (mode === 'blackhole') return;
    const upstream = net.connect(target);
    pair[1] = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (mode === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'forward') client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cut = () => {
    const n = pairs.size;
    for (const [a, b] of pairs) {
      a.resetAndDestroy();
      b?.destroy();
    }
    pairs.clear();
    return n;
  };
  return {
    port,
    forward: () => {
      mode = 'forward';
    },
    blackhole: () => {
      mode = 'blackhole';
    },
    refuse: () => {
      mode = 'refuse';
    },
    cut,
    close: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
