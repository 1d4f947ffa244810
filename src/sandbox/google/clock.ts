/** The fake's clock and token lifetimes, shared by the world and its token store. */
/** A clock tests can move forward to expire codes and tokens without waiting. */
export class FakeClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface FakeSettings {
  /** Access token lifetime in seconds; Google's is 3599. */
  accessTokenTtlSeconds: number;
  /** Authorization code lifetime in seconds. */
  codeTtlSeconds: number;
}
