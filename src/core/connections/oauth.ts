/** The OAuth side of connections: the authorization flow and the tokens, behind one object. */
import type { ProviderModule } from '../../providers/types.ts';
import type { ConnectionsTable } from '../../store/schema.ts';
import type { OAuthCredentials, OAuthDeps } from './oauth-clients.ts';
import { type FinishedConnection, OAuthFlow, type SaveOAuthConnection } from './oauth-flow.ts';
import { type AccessTokenOptions, OAuthTokens, type RevokeOutcome } from './oauth-tokens.ts';

export type { AccessTokenOptions, FinishedConnection, OAuthCredentials, RevokeOutcome };

export class OAuth {
  private readonly flow: OAuthFlow;
  private readonly tokens: OAuthTokens;

  constructor(
    deps: OAuthDeps,
    save: SaveOAuthConnection,
    aadOf: (orgId: string, connectionId: string) => string,
  ) {
    this.flow = new OAuthFlow(deps, save);
    this.tokens = new OAuthTokens(deps, aadOf);
  }

  get redirectUri(): string {
    return this.flow.redirectUri;
  }

  /** `{ oauthUrl }` for POST /integrations/{kind}/connect. */
  start(orgId: string, provider: ProviderModule): Promise<string> {
    return this.flow.start(orgId, provider);
  }

  /** GET /integrations/oauth/callback. */
  finish(query: Record<string, unknown>): Promise<FinishedConnection> {
    return this.flow.finish(query);
  }

  accessToken(orgId: string, kind: string, opts?: AccessTokenOptions): Promise<string> {
    return this.tokens.accessToken(orgId, kind, opts);
  }

  revoke(
    orgId: string,
    provider: ProviderModule,
    connection: ConnectionsTable,
    creds: OAuthCredentials,
  ): Promise<RevokeOutcome> {
    return this.tokens.revoke(orgId, provider, connection, creds);
  }
}
