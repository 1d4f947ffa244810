/** Starts the server: config → store → services → http, with graceful shutdown. */
import type { FastifyInstance } from 'fastify';
import { type Config, loadConfig } from './config.ts';
import { buildApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { createServices, type Services } from './services.ts';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config = loadConfig()): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const services = await createServices(config);
  const app = await buildApp(services, { logger });
  const url = await app.listen({ host: config.host, port: config.port });
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await services.close();
    })();
    return closing;
  };
  return { app, services, url, close };
}

export async function runUntilSignalled(config: Config = loadConfig()): Promise<void> {
  const server = await startServer(config);
  const stop = async (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    // In-flight requests get the grace period; a client that never finishes (a slow upload, a
    // stream left open) must not keep the process alive after its port is closed.
    const force = setTimeout(() => {
      server.app.log.warn({ graceMs: config.shutdownGraceMs }, 'connections still open: closing them');
      server.app.server.closeAllConnections();
      setTimeout(() => process.exit(1), 1_000).unref();
    }, config.shutdownGraceMs);
    force.unref();
    await server.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
