import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './main.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('a port already in use is named, with how to choose another', async () => {
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const port = (squatter.address() as net.AddressInfo).port;
  try {
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      FLOWYTE_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
    });
    const err = await startServer(config).then(
      (s) => s.close().then(() => null),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`port ${port} is already in use`);
    expect((err as Error).message).toContain(`PORT=${port + 1}`);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
});
