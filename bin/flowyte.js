#!/usr/bin/env node
// Entry point of the `flowyte` command: runs the TypeScript sources through tsx, so a checkout works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
