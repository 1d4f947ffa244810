/**
 * A Flowyte server pointed at the Google fake on its own port, with the real Google providers, and
 * helpers for the e2e suites: connect through the OAuth dance, publish an agent, invoke its tools.
 */
import { expect } from 'vitest';
import { type GoogleFake, startGoogleFake } from '../src/sandbox/google/index.ts';
import { type ApiResponse, startTestServer, type TestServer } from './support/harness.ts';
import { ALL_SCOPES, CALLBACK, connectOAuth } from './support/oauth-dance.ts';

const PUBLIC_URL = 'https://flowyte.example';

export interface GoogleE2e {
  s: TestServer;
  fake: GoogleFake;
  googleUrl: string;
  close(): Promise<void>;
}

export async function startGoogleE2e(): Promise<GoogleE2e> {
  const google = await startGoogleFake({
    clientId: 'e2e-client',
    clientSecret: 'e2e-secret',
    redirectUris: [PUBLIC_URL + CALLBACK],
  });
  const s = await startTestServer({
    GOOGLE_CLIENT_ID: 'e2e-client',
    GOOGLE_CLIENT_SECRET: 'e2e-secret',
    FLOWYTE_GOOGLE_AUTH_URL: `${google.url}/o/oauth2/v2/auth`,
    FLOWYTE_GOOGLE_TOKEN_URL: `${google.url}/token`,
    FLOWYTE_GOOGLE_REVOKE_URL: `${google.url}/revoke`,
    FLOWYTE_GOOGLE_API_URL: google.url,
    FLOWYTE_PUBLIC_URL: PUBLIC_URL,
  });
  return {
    s,
    fake: google.fake,
    googleUrl: google.url,
    close: async () => {
      await s.close();
      await google.close();
    },
  };
}

/** A new organization whose `kind` is connected to `email` through connect → consent → callback. */
export async function connectedOrg(e: GoogleE2e, org: string, kind: string, email: string): Promise<string> {
  const { key } = await e.s.key(org, ALL_SCOPES);
  await connectOAuth(e.s, key, email, kind);
  return key;
}

export async function newAgent(s: TestServer, key: string): Promise<string> {
  const res = await s.call('POST', '/api/v1/agents', { key, body: { name: 'front desk' } });
  expect(res.status, res.text).toBe(201);
  return res.json.data.id;
}

export async function publish(s: TestServer, key: string, agentId: string): Promise<void> {
  const res = await s.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
  expect(res.status, res.text).toBe(201);
}

export interface InvokeOptions {
  confirmed?: boolean;
  callerVerified?: boolean;
  idempotencyKey?: string;
}

export function invoker(s: TestServer, key: string, agentId: string) {
  return (tool: string, args: Record<string, unknown>, o: InvokeOptions = {}): Promise<ApiResponse> =>
    s.call('POST', `/api/v1/agents/${agentId}/tools/${tool}/invoke`, {
      key,
      body: {
        arguments: args,
        ...(o.confirmed ? { confirmed: true } : {}),
        ...(o.callerVerified ? { callerVerified: true } : {}),
      },
      headers: o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {},
    });
}
