/**
 * The OpenID Connect relying party, over `openid-client` (authorization code flow with PKCE, state and nonce). The
 * issuer's metadata is discovered on first use and kept by the instance (no module-level state). Only the server's
 * composition root builds one, from the configuration (src/server/config.ts); use cases see the `OidcClient`
 * interface, so tests can give a fake or a real client against a local provider.
 */
import * as oidc from 'openid-client';
import type { OidcChecks, OidcClient } from './usecases/oidc.js';

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** This server's callback URL, registered at the provider (…/api/v1/auth/oidc/callback). */
  readonly redirectUrl: string;
  readonly scopes: string;
  /** Allow an http:// issuer (a provider on loopback for development and tests); never in production. */
  readonly allowHttp: boolean;
}

export function openidClient(s: OidcSettings): OidcClient {
  let config: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (config ??= oidc
      .discovery(
        new URL(s.issuer),
        s.clientId,
        s.clientSecret,
        undefined,
        s.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((e: unknown) => {
        config = undefined; // a provider down at the first login must not stay broken until a restart
        throw e;
      }));
  return {
    async start() {
      const c = await configuration();
      const checks: OidcChecks = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: s.redirectUrl,
        scope: s.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
      });
      return { checks, url: url.href };
    },
    async finish(callbackQuery, checks) {
      const c = await configuration();
      const current = new URL(s.redirectUrl);
      current.search = callbackQuery;
      const tokens = await oidc.authorizationCodeGrant(c, current, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw new Error('the provider returned no ID token');
      const info = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub);
      return { ...info, ...idClaims };
    },
  };
}
