/** Operators and their sessions for tests: create a user, log in over HTTP, call with the cookie. */
import { Operators, type Role } from '../../src/core/access/index.ts';
import type { ApiResponse, TestServer } from './harness.ts';

export interface TestSession {
  cookie: string;
  csrfToken: string;
  orgId: string;
  /** A call carrying the session cookie (and, for writes, the CSRF token unless `csrf: false`). */
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; headers?: Record<string, string>; csrf?: boolean },
  ): Promise<ApiResponse>;
}

export async function createOperator(
  s: TestServer,
  email: string,
  org: string,
  role: Role,
  password: string,
) {
  return new Operators(s.services.store).createUser({ email, orgName: org, role, password });
}

export async function login(s: TestServer, email: string, password: string): Promise<TestSession> {
  const res = await s.call('POST', '/api/v1/session/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login answered ${res.status} ${res.text}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const csrfToken = res.json.data.csrfToken as string;
  return {
    cookie,
    csrfToken,
    orgId: res.json.data.organizations[0].orgId,
    call: (method, path, o = {}) => {
      const headers: Record<string, string> = { cookie, ...(o.headers ?? {}) };
      if (method !== 'GET' && o.csrf !== false) headers['x-csrf-token'] = csrfToken;
      return s.call(method, path, { body: o.body, headers });
    },
  };
}
