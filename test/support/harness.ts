/**
 * Starts a real server on a loopback port for a suite: its own data directory (or its own
 * PostgreSQL database), captured log lines, and helpers to mint keys and call the API over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type Config, loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { createServices, type ServiceOptions, type Services } from '../../src/services.ts';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  dataDir: string;
  logs: string[];
  key(
    org: string,
    scopes: string[],
    opts?: { expiresInMs?: number },
  ): Promise<{ key: string; keyId: string; orgId: string }>;
  call(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function startTestServer(
  env: Record<string, string> = {},
  opts: ServiceOptions = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-test-'));
  const config: Config = loadConfig({
    FLOWYTE_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8,::1/128',
    FLOWYTE_SQL_ALLOW_PLAINTEXT: 'true',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const services = await createServices(config, opts);
  const app = await buildApp(services, { logger: createLogger('debug', sink) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    app,
    services,
    dataDir,
    logs,
    async key(org, scopes, o = {}) {
      const created = await services.apiKeys.create({
        orgName: org,
        scopes,
        expiresInMs: o.expiresInMs ?? null,
      });
      return { key: created.key, keyId: created.keyId, orgId: created.orgId };
    },
    async call(method, p, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.key) headers.authorization = `Bearer ${o.key}`;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      } else if (o.raw !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(address + p, { method, headers, body });
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
