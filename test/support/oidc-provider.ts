import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
// @ts-expect-error oidc-provider ships no type declarations
import Provider from 'oidc-provider';

export interface OidcAccount {
  email: string;
  /** Authentication methods the provider reports, e.g. `['pwd', 'mfa']`; none when absent. */
  amr?: string[];
}

export interface OidcProviderOptions {
  /** Path of the issuer below the origin, like Entra's `/<tenant>/v2.0`. */
  issuerPath?: string;
  /** Where the provider may send people back (the app's callback). */
  redirectUri: string;
  accounts: Record<string, OidcAccount>;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next sign-in at this provider logs in as (the first account until set). */
  signInAs(sub: string): void;
  close(): Promise<void>;
}

/** The bits of oidc-provider's interaction API used here. */
interface Interaction {
  prompt: { name: string };
  params: { client_id: string; scope: string };
  session?: { accountId: string };
  grantId?: string;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 with one confidential client.
 * Its login needs no form: an interaction logs in the chosen account at once with that account's `amr`
 * and grants the client's scopes, so a test completes a sign-in by following redirects over plain HTTP.
 */
export async function startOidcProvider(options: OidcProviderOptions): Promise<TestOidcProvider> {
  const issuerPath = (options.issuerPath ?? '').replace(/\/$/, '');
  const subjects = Object.keys(options.accounts);
  if (subjects.length === 0) throw new Error('startOidcProvider needs at least one account');
  let next = subjects[0]!;
  const clientId = `partnerdesk-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${issuerPath}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    // amr rides on the openid scope so every ID token says how the person signed in, as Entra's do.
    claims: {
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
    },
    // Like Entra: the ID token itself carries the e-mail address.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: unknown, sub: string) {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: account.email, email_verified: true }) };
    },
  });
  provider.use(
    async (
      ctx: { path: string; req: IncomingMessage; res: ServerResponse; respond: boolean },
      nextMiddleware: () => Promise<void>,
    ) => {
      if (!ctx.path.startsWith('/interaction/')) return nextMiddleware();
      ctx.respond = false;
      const interaction = (await provider.interactionDetails(ctx.req, ctx.res)) as Interaction;
      if (interaction.prompt.name === 'login') {
        const account = options.accounts[next]!;
        await provider.interactionFinished(ctx.req, ctx.res, {
          login: { accountId: next, ...(account.amr ? { amr: account.amr } : {}) },
        });
        return;
      }
      const grant = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : new provider.Grant({
            accountId: interaction.session!.accountId,
            clientId: interaction.params.client_id,
          });
      grant.addOIDCScope(interaction.params.scope);
      await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId: await grant.save() } });
    },
  );

  const handle = provider.callback();
  server.on('request', (request: IncomingMessage & { originalUrl?: string }, response: ServerResponse) => {
    // Mounted below the issuer's path, as oidc-provider expects behind a prefix.
    if (issuerPath && request.url?.startsWith(issuerPath)) {
      request.originalUrl = request.url;
      request.url = request.url.slice(issuerPath.length) || '/';
    }
    handle(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(sub) {
      if (!options.accounts[sub]) throw new Error(`No account ${sub} at ${issuer}`);
      next = sub;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
