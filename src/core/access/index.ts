/**
 * Who may call: API keys, dashboard operators and their login throttle. The folder's only entrance: code
 * outside it imports from here.
 */
export * from './api-keys.ts';
export * from './login-throttle.ts';
export * from './operators.ts';
