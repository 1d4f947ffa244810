/** Starts the server: config → store → services → http, with graceful shutdown. */
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, loadConfig } from './config.ts';
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
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app.close().catch(() => {});
    await services.close();
    throw listenError(e, config);
  }
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

/** A port that cannot be bound says which one, and how to choose another. */
function listenError(e: unknown, config: Config): unknown {
  const code = (e as { code?: string })?.code;
  const where = `${config.host}:${config.port}`;
  const next = config.port === 0 ? 8080 : Math.min(config.port + 1, 65535);
  if (code === 'EADDRINUSE')
    return new ConfigError(
      `port ${config.port} is already in use on ${config.host} (another Flowyte or another program listens on ${where}); stop it, or choose another port, e.g. PORT=${next} npm start`,
    );
  if (code === 'EACCES')
    return new ConfigError(
      `this user may not listen on port ${config.port} (ports below 1024 need privileges); choose another port, e.g. PORT=8080 npm start`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new ConfigError(
      `HOST=${config.host} is not an address of this machine; use 127.0.0.1 (local only) or 0.0.0.0 (every interface)`,
    );
  return e;
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
