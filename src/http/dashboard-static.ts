/**
 * The dashboard's built files (web/dist, from `npm run build:web`), served by the API server itself:
 * hashed assets precompressed (brotli, gzip) with a year's cache, index.html never cached, and the
 * app's own paths (/agents/…) answered with index.html so a reload or a shared link works.
 * Without a build, `/` explains how to make one; the API is unaffected.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

interface Asset {
  body: Buffer;
  br?: Buffer;
  gz?: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// The page loads only its own scripts and styles and talks only to this server.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

export const DASHBOARD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Loads the build into memory: a few hundred kilobytes, read once instead of per request. */
export function loadDashboard(dir = DASHBOARD_DIR): Map<string, Asset> | null {
  if (!existsSync(path.join(dir, 'index.html'))) return null;
  const files = new Map<string, Asset>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (/\.(br|gz)$/.test(name) || !statSync(file).isFile()) continue;
    const read = (ext: string) => (existsSync(file + ext) ? readFileSync(file + ext) : undefined);
    files.set(`/${name.split(path.sep).join('/')}`, {
      body: readFileSync(file),
      br: read('.br'),
      gz: read('.gz'),
      type: TYPES[path.extname(name)] ?? 'application/octet-stream',
    });
  }
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cache: string) {
  const accept = String(request.headers['accept-encoding'] ?? '');
  reply.header('cache-control', cache).header('vary', 'accept-encoding').type(asset.type);
  reply.header('x-content-type-options', 'nosniff');
  if (asset.br && /\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(asset.br);
  if (asset.gz && /\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(asset.gz);
  return reply.send(asset.body);
}

const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flowyte integrations</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style>
</head><body><h1>Flowyte integrations</h1>
<p>The server is running, but the dashboard was not built: run <code>npm run build:web</code> and restart.</p>
<p>The API works without it: <a href="/docs">API reference</a>, <a href="/healthz">health</a>.</p>
</body></html>`;

export function registerDashboard(
  app: FastifyInstance,
  files = loadDashboard(),
): {
  fallback: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null;
} {
  const index = files?.get('/index.html');
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    reply
      .header('content-security-policy', CSP)
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY');
    if (!index)
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(notBuilt);
    return send(request, reply, index, 'no-cache');
  };

  app.get('/', { config: { public: true }, schema: { hide: true } }, (request, reply) =>
    sendIndex(request, reply),
  );
  app.get<{ Params: { '*': string } }>(
    '/assets/*',
    { config: { public: true }, schema: { hide: true } },
    (request, reply) => {
      const asset = files?.get(`/assets/${request.params['*']}`);
      if (!asset) throw new AppError('not_found', 'no such dashboard file');
      // Names carry a content hash: a changed file is a new name, so this one never changes.
      return send(request, reply, asset, 'public, max-age=31536000, immutable');
    },
  );

  return {
    /** index.html for a browser asking for one of the app's own pages; null for anything else. */
    fallback(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return null;
      const p = request.url.split('?')[0];
      if (/^\/(api|docs|sandbox|assets|healthz|readyz)(\/|$)/.test(p)) return null;
      if (!String(request.headers.accept ?? '').includes('text/html')) return null;
      return sendIndex(request, reply);
    },
  };
}
