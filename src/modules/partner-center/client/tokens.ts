import type { CloudInstance } from './clouds.ts';
import { PARTNER_CENTER_RESOURCE } from './clouds.ts';
import { excerpt, PartnerCenterAuthError, PartnerCenterError, readErrorBody } from './errors.ts';

export interface PartnerCenterCredentials {
  /** The partner's own Entra tenant (the CSP tenant). */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The Secure Application Model's refresh token: present → App+User tokens, absent → App-only. */
  refreshToken?: string;
}

export interface TokenSourceOptions {
  cloud: CloudInstance;
  credentials: PartnerCenterCredentials;
  fetch: typeof globalThis.fetch;
  now: () => number;
  /** The API the tokens are for: Partner Center (the default) or Microsoft Graph (billing exports). */
  resource?: string;
  /** `v1` is what the Partner Center pages document (`resource=`); `v2` uses `scope=`. */
  endpoint?: 'v1' | 'v2';
  timeoutMs: number;
  /** Entra may hand back a new refresh token; the connection should store it (90-day lifetime). */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>;
}

export interface TokenSource {
  /** A valid access token, from the cache while it has more than its margin left. */
  token(): Promise<string>;
  /** Forget the cached token (Partner Center answered 401 to it). */
  invalidate(): void;
}

/** Tokens are renewed this long before they expire, so a request never leaves with a dying one. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { cloud, credentials } = options;
  const resource = options.resource ?? PARTNER_CENTER_RESOURCE;
  // Partner Center's delegated permission is `user_impersonation`; Graph's (PartnerBilling.Read.All)
  // are asked for as consented, with `.default`.
  const userScope = resource === PARTNER_CENTER_RESOURCE ? 'user_impersonation' : '.default';
  let refreshToken = credentials.refreshToken;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const grant = refreshToken ? 'refresh_token' : 'client_credentials';
    const url =
      options.endpoint === 'v2'
        ? `${cloud.authority}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`
        : `${cloud.authority}/${encodeURIComponent(credentials.tenantId)}/oauth2/token`;
    const form = new URLSearchParams({
      grant_type: grant,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    if (refreshToken) form.set('refresh_token', refreshToken);
    if (options.endpoint === 'v2') {
      form.set('scope', refreshToken ? `${resource}/${userScope} offline_access` : `${resource}/.default`);
    } else {
      form.set('resource', resource);
      if (refreshToken) form.set('scope', 'openid');
    }
    const response = await options.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw tokenRefused(response.status, text, grant);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PartnerCenterAuthError(
        `${where()} answered ${response.status} with a body that is not JSON: ${excerpt(text)}`,
        { status: response.status },
      );
    }
    const accessToken = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn)) {
      throw new PartnerCenterAuthError(
        `${where()} answered without an access_token and expires_in: ${excerpt(text)}`,
        { status: response.status },
      );
    }
    if (typeof body.refresh_token === 'string' && body.refresh_token !== refreshToken && refreshToken) {
      refreshToken = body.refresh_token;
      await options.onRefreshToken?.(refreshToken);
    }
    const lifetimeMs = expiresIn * 1000;
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
    cached = { token: accessToken, renewAt: options.now() + lifetimeMs - margin };
    return accessToken;
  }

  function where(): string {
    return `Microsoft Entra ID for ${cloud.label} (${cloud.authority})`;
  }

  function tokenRefused(status: number, text: string, grant: string): PartnerCenterError {
    const { code, description } = readErrorBody(text);
    const said = [code, description].filter(Boolean).join(': ') || excerpt(text) || 'no explanation';
    if (status !== 400 && status !== 401) {
      return new PartnerCenterError(`${where()} failed to issue a token (HTTP ${status}): ${said}`, {
        status,
        ...(code && { code }),
        ...(description && { description }),
      });
    }
    const remedy =
      grant === 'refresh_token'
        ? 'Renew the Secure Application Model consent (a partner admin signs in once with MFA) and store the new refresh token in the connection.'
        : "Check the connection's tenant id, application (client) id and client secret; the secret may have expired.";
    return new PartnerCenterAuthError(
      `${where()} refused the ${grant} grant (HTTP ${status}): ${said}. ${remedy}`,
      {
        status,
        ...(code && { code }),
        ...(description && { description }),
      },
    );
  }

  return {
    async token() {
      if (cached && options.now() < cached.renewAt) return cached.token;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
