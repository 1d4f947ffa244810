/**
 * Google's OAuth 2.0 endpoints through oauth4webapi: the authorization URL (PKCE S256, offline
 * access), the code exchange, refresh, revocation and the account's email. Only HTTP here: the
 * store, the vault and the lifecycle live in core/oauth*.ts. Errors come out as two small types so
 * callers never depend on the library's, and never carry a token.
 */
import * as oauth from 'oauth4webapi';

export interface GoogleOAuthSettings {
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  userinfoUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Issuer named in ID tokens and RFC 9207 `iss` parameters. */
  issuer?: string;
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

export const GOOGLE_ISSUER = 'https://accounts.google.com';

export class GoogleOAuthClient {
  private readonly as: oauth.AuthorizationServer;
  private readonly client: oauth.Client;
  private readonly auth: oauth.ClientAuth;

  constructor(private readonly settings: GoogleOAuthSettings) {
    this.as = {
      issuer: settings.issuer ?? GOOGLE_ISSUER,
      authorization_endpoint: settings.authUrl,
      token_endpoint: settings.tokenUrl,
      revocation_endpoint: settings.revokeUrl,
      userinfo_endpoint: settings.userinfoUrl,
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
    const url = new URL(this.settings.authUrl);
    const p = url.searchParams;
    p.set('client_id', this.settings.clientId);
    p.set('redirect_uri', input.redirectUri);
    p.set('response_type', 'code');
    p.set('scope', input.scopes.join(' '));
    p.set('state', input.state);
    p.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.verifier));
    p.set('code_challenge_method', 'S256');
    // A refresh token every time, also when the account granted this app before.
    p.set('access_type', 'offline');
    p.set('prompt', 'consent');
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

  async revoke(token: string): Promise<void> {
    await this.call(this.settings.revokeUrl, async (opts) => {
      const res = await oauth.revocationRequest(this.as, this.client, this.auth, token, opts);
      await oauth.processRevocationResponse(res);
    });
  }

  /** The account's email from the userinfo endpoint, or null when it does not say. */
  async email(accessToken: string): Promise<string | null> {
    return this.call(this.settings.userinfoUrl, async (opts) => {
      const res = await oauth.userInfoRequest(this.as, this.client, accessToken, opts);
      const info = await oauth.processUserInfoResponse(this.as, this.client, oauth.skipSubjectCheck, res);
      return typeof info.email === 'string' && info.email ? info.email : null;
    });
  }

  private async tokenCall(
    url: string,
    fn: (opts: ReturnType<GoogleOAuthClient['options']>) => Promise<oauth.TokenEndpointResponse>,
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
    fn: (opts: ReturnType<GoogleOAuthClient['options']>) => Promise<T>,
  ): Promise<T> {
    try {
      return await fn(this.options(url));
    } catch (e) {
      if (e instanceof oauth.ResponseBodyError) throw new OAuthProtocolError(e.error, e.status);
      if (e instanceof oauth.WWWAuthenticateChallengeError) {
        throw new OAuthProtocolError(e.cause[0]?.parameters.error ?? 'invalid_client', e.status);
      }
      const name = (e as Error)?.name;
      const timeout = name === 'TimeoutError' || name === 'AbortError';
      const what = new URL(url).pathname;
      throw new OAuthTransportError(
        timeout ? `${what} did not answer in time` : `${what} failed: ${describe(e)}`,
        timeout,
      );
    }
  }
}

/** A short, secret-free reason: library error codes and HTTP statuses only. */
function describe(e: unknown): string {
  if (e instanceof oauth.OperationProcessingError) return e.code ?? 'unexpected response';
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (e as Error)?.name ?? 'error';
}
