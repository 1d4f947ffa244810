/**
 * The one OAuth 2.0 client, through oauth4webapi: the authorization URL (PKCE S256 plus the
 * provider's extra parameters), the code exchange, refresh, revocation and the userinfo claim that
 * labels the account. A provider describes its authorization server as data (OAuthSpec); this runs
 * it. Only HTTP here: the store, the vault and the lifecycle live in core/oauth-*.ts. Errors come
 * out as small types so callers never depend on the library's, and never carry a token.
 */
import * as oauth from 'oauth4webapi';

/** One authorization server as this client needs it: the provider's spec with the operator's overrides. */
export interface OAuthClientSettings {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  userinfoUrl: string | null;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Issuer named in ID tokens and RFC 9207 `iss` parameters. */
  issuer: string;
  /** Where the operator sets the issuer, named when an ID token's check fails. */
  issuerSetting: string | null;
  extraAuthorizeParams: Record<string, string>;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Seconds, as the server said; undefined when it did not say. */
  expiresIn?: number;
  /** Space-separated granted scopes; undefined means "as requested" (RFC 6749 §5.1). */
  scope?: string;
  tokenType: string;
}

/** The authorization or token endpoint answered with an OAuth error (`invalid_grant`, `access_denied`…). */
export class OAuthProtocolError extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
  ) {
    super(`the authorization server answered ${error}`);
    this.name = 'OAuthProtocolError';
  }
}

/** The endpoint could not be reached, timed out, or answered something that is not OAuth. */
export class OAuthTransportError extends Error {
  constructor(
    message: string,
    readonly timeout: boolean,
  ) {
    super(message);
    this.name = 'OAuthTransportError';
  }
}

/**
 * The token response was received but failed a check the protocol requires (an ID token's issuer,
 * audience or signature time; a malformed response): the server answered, so it is not "unreachable".
 */
export class OAuthCheckError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OAuthCheckError';
  }
}

export class OAuthClient {
  private readonly as: oauth.AuthorizationServer;
  private readonly client: oauth.Client;
  private readonly auth: oauth.ClientAuth;

  constructor(private readonly settings: OAuthClientSettings) {
    this.as = {
      issuer: settings.issuer,
      authorization_endpoint: settings.authorizeUrl,
      token_endpoint: settings.tokenUrl,
      ...(settings.revokeUrl ? { revocation_endpoint: settings.revokeUrl } : {}),
      ...(settings.userinfoUrl ? { userinfo_endpoint: settings.userinfoUrl } : {}),
    };
    this.client = { client_id: settings.clientId };
    this.auth = oauth.ClientSecretPost(settings.clientSecret);
  }

  /** Plain http is allowed only where the operator configured an http endpoint (a local fake or test server). */
  private options(url: string) {
    return {
      signal: AbortSignal.timeout(this.settings.timeoutMs),
      ...(url.startsWith('http:') ? { [oauth.allowInsecureRequests]: true } : {}),
    };
  }

  static newVerifier(): string {
    return oauth.generateRandomCodeVerifier();
  }

  static newState(): string {
    return oauth.generateRandomState();
  }

  async authorizationUrl(input: {
    state: string;
    verifier: string;
    scopes: string[];
    redirectUri: string;
  }): Promise<string> {
    const url = new URL(this.settings.authorizeUrl);
    const p = url.searchParams;
    for (const [k, v] of Object.entries(this.settings.extraAuthorizeParams)) p.set(k, v);
    p.set('client_id', this.settings.clientId);
    p.set('redirect_uri', input.redirectUri);
    p.set('response_type', 'code');
    p.set('scope', input.scopes.join(' '));
    p.set('state', input.state);
    p.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.verifier));
    p.set('code_challenge_method', 'S256');
    return url.toString();
  }

  /** Validates the redirect's parameters against the expected state and redeems the code. */
  async exchangeCode(input: {
    params: URLSearchParams;
    state: string;
    verifier: string;
    redirectUri: string;
  }): Promise<TokenSet> {
    let callback: URLSearchParams;
    try {
      callback = oauth.validateAuthResponse(this.as, this.client, input.params, input.state);
    } catch (e) {
      if (e instanceof oauth.AuthorizationResponseError) throw new OAuthProtocolError(e.error, 400);
      throw new OAuthProtocolError('invalid_request', 400);
    }
    return this.tokenCall(this.settings.tokenUrl, async (opts) => {
      const res = await oauth.authorizationCodeGrantRequest(
        this.as,
        this.client,
        this.auth,
        callback,
        input.redirectUri,
        input.verifier,
        opts,
      );
      return oauth.processAuthorizationCodeResponse(this.as, this.client, res);
    });
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.tokenCall(this.settings.tokenUrl, async (opts) => {
      const res = await oauth.refreshTokenGrantRequest(this.as, this.client, this.auth, refreshToken, opts);
      return oauth.processRefreshTokenResponse(this.as, this.client, res);
    });
  }

  get canRevoke(): boolean {
    return this.settings.revokeUrl !== null;
  }

  async revoke(token: string): Promise<void> {
    if (!this.settings.revokeUrl) return;
    await this.call(this.settings.revokeUrl, async (opts) => {
      const res = await oauth.revocationRequest(this.as, this.client, this.auth, token, opts);
      await oauth.processRevocationResponse(res);
    });
  }

  /** One string claim of the userinfo endpoint (e.g. the account's email), or null when it does not say. */
  async userinfoClaim(accessToken: string, claim: string): Promise<string | null> {
    const url = this.settings.userinfoUrl;
    if (!url) return null;
    return this.call(url, async (opts) => {
      const res = await oauth.userInfoRequest(this.as, this.client, accessToken, opts);
      const info = await oauth.processUserInfoResponse(this.as, this.client, oauth.skipSubjectCheck, res);
      const value = (info as Record<string, unknown>)[claim];
      return typeof value === 'string' && value ? value : null;
    });
  }

  private async tokenCall(
    url: string,
    fn: (opts: ReturnType<OAuthClient['options']>) => Promise<oauth.TokenEndpointResponse>,
  ): Promise<TokenSet> {
    const r = await this.call(url, fn);
    return {
      accessToken: r.access_token,
      refreshToken: r.refresh_token,
      expiresIn: typeof r.expires_in === 'number' ? r.expires_in : undefined,
      scope: typeof r.scope === 'string' ? r.scope : undefined,
      tokenType: r.token_type,
    };
  }

  /** Runs one request, translating the library's errors; messages name the endpoint, never a token. */
  private async call<T>(
    url: string,
    fn: (opts: ReturnType<OAuthClient['options']>) => Promise<T>,
  ): Promise<T> {
    try {
      return await fn(this.options(url));
    } catch (e) {
      if (e instanceof oauth.ResponseBodyError) throw new OAuthProtocolError(e.error, e.status);
      if (e instanceof oauth.WWWAuthenticateChallengeError) {
        throw new OAuthProtocolError(e.cause[0]?.parameters.error ?? 'invalid_client', e.status);
      }
      // The server answered, but its answer failed a required check: say which, not "unreachable".
      if (e instanceof oauth.OperationProcessingError) throw new OAuthCheckError(this.checkReason(e));
      const name = (e as Error)?.name;
      const timeout = name === 'TimeoutError' || name === 'AbortError';
      const what = new URL(url).pathname;
      throw new OAuthTransportError(
        timeout ? `${what} did not answer in time` : `${what} failed: ${describe(e)}`,
        timeout,
      );
    }
  }

  /** What failed, in words an operator can act on; claim values are the server's issuer, never a token. */
  private checkReason(e: oauth.OperationProcessingError): string {
    const cause = e.cause as { claim?: string; claims?: Record<string, unknown> } | undefined;
    if (cause?.claim === 'iss') {
      const iss = cause.claims?.iss;
      const got = typeof iss === 'string' ? ` but it names ${iss.slice(0, 200)}` : '';
      const where = this.settings.issuerSetting
        ? ` (set ${this.settings.issuerSetting} to the server's issuer)`
        : '';
      return `the ID token's issuer is not the expected ${this.settings.issuer}${got}${where}`;
    }
    if (cause?.claim)
      return `the ID token's "${cause.claim.slice(0, 32)}" claim failed its check (${e.message.slice(0, 120)})`;
    return `the answer failed a protocol check: ${e.message.slice(0, 160)}`;
  }
}

/** A short, secret-free reason: library error codes and HTTP statuses only. */
function describe(e: unknown): string {
  if (e instanceof oauth.OperationProcessingError) return e.code ?? 'unexpected response';
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (e as Error)?.name ?? 'error';
}
