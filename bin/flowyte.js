#!/usr/bin/env node
// Entry point of the `flowyte` command (`npx flowyte`, `npm start`, `npm run demo`): the compiled
// JavaScript in dist/, which `npm install` builds (the `prepare` script) and `npm run build` rebuilds.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('flowyte: the server is not built yet: run `npm run build` (npm install does it)');
  process.exit(1);
}
await import(entry.href);
