/**
 * Fault switches and the request log. Faults hit the GraphQL endpoint (where a provider's retry
 * logic lives); token-grant failures have their own switch so a test can fail one without the other.
 */

export interface ShopifyFaults {
  /** The next `n` GraphQL requests answer THROTTLED, reporting a nearly empty bucket. */
  throttleNext(n: number): void;
  /** Sets every shop's bucket to `points` now (it keeps restoring at 100/s). */
  setAvailable(points: number): void;
  /** The next `n` (default 1) GraphQL requests answer HTTP `status` (429 with Retry-After, 5xx). */
  failNext(status: number, n?: number): void;
  /** The next `n` token grants answer HTTP `status`. */
  failNextTokenGrant(status: number, n?: number): void;
  /** Delay before every answer. */
  latencyMs: number;
  /** Clears every switch and refills every shop's bucket. */
  reset(): void;
}

export class FaultState implements ShopifyFaults {
  latencyMs = 0;
  throttled = 0;
  /** Seconds sent in Retry-After with a 429. */
  retryAfterSeconds = 1;
  private failures: number[] = [];
  private grantFailures: number[] = [];

  constructor(
    private readonly onSetAvailable: (points: number) => void,
    private readonly fullBucket: number,
  ) {}

  throttleNext(n: number): void {
    this.throttled += Math.max(0, n);
  }
  setAvailable(points: number): void {
    this.onSetAvailable(points);
  }
  failNext(status: number, n = 1): void {
    for (let i = 0; i < n; i++) this.failures.push(status);
  }
  failNextTokenGrant(status: number, n = 1): void {
    for (let i = 0; i < n; i++) this.grantFailures.push(status);
  }
  reset(): void {
    this.latencyMs = 0;
    this.throttled = 0;
    this.failures = [];
    this.grantFailures = [];
    this.onSetAvailable(this.fullBucket);
  }

  takeFailure(): number | undefined {
    return this.failures.shift();
  }
  takeGrantFailure(): number | undefined {
    return this.grantFailures.shift();
  }
  takeThrottle(): boolean {
    if (this.throttled <= 0) return false;
    this.throttled--;
    return true;
  }
}

/** Bodies Shopify sends with these statuses (the REST-style `{ errors: string }`). */
export function failureBody(status: number): { errors: string } {
  switch (status) {
    case 429:
      return {
        errors:
          'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
      };
    case 500:
      return { errors: 'Internal Server Error' };
    case 502:
      return { errors: 'Bad Gateway' };
    case 503:
      return { errors: 'Service Unavailable' };
    case 504:
      return { errors: 'Gateway Timeout' };
    default:
      return { errors: `Error ${status}` };
  }
}

export interface LoggedShopifyRequest {
  kind: 'graphql' | 'token';
  /** Shop domain (from the path, the token or the client app); null when none was recognized. */
  shop: string | null;
  path: string;
  operationName: string | null;
  query: string | null;
  variables: Record<string, unknown> | null;
  /** Last 4 characters of the access token, never the token. */
  tokenTail: string | null;
  status?: number;
  at: number;
}

export const tokenTail = (token: string | undefined): string | null => (token ? token.slice(-4) : null);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The log entry of a request, so the plugin's onResponse hook can record the status sent. */
export const entryOf = new WeakMap<object, LoggedShopifyRequest>();
