/**
 * The dashboard's only way to the server: the same /api/v1 routes scripts use, with the session
 * cookie (sent by the browser), the CSRF token on writes, and the chosen organization.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** A problem+json answer, kept whole so a form can show `detail` and `errors[]` by its controls. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

const state = { csrf: '', org: '', onUnauthorized: () => {} };

export function configureApi(next: Partial<typeof state>): void {
  Object.assign(state, next);
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

async function request(method: string, path: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = state.csrf;
  if (state.org) headers['x-organization-id'] = state.org;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401) state.onUnauthorized();
    throw new ApiError(
      res.status,
      json?.code ?? 'error',
      json?.detail ?? `the server answered ${res.status}`,
      json?.errors ?? [],
      json ?? {},
    );
  }
  return json;
}

/** The `data` of a success envelope. */
export const api = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  (await request(method, path, body)).data as T;

/** A list with its cursor. */
export const apiPage = async <T>(path: string): Promise<Page<T>> => {
  const json = await request('GET', path);
  return { data: json.data, nextCursor: json.nextCursor ?? null };
};
