import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { clientMeta, startSession } from './cookies.ts';
import {
  finishOidcSignIn,
  getOidcConnection,
  oidcAvailable,
  removeOidcConnection,
  saveOidcConnection,
  startOidcSignIn,
} from './oidc.ts';

const OidcConnectionResponse = Type.Object({
  issuer: Type.String(),
  clientId: Type.String(),
  clientSecretSet: Type.Boolean(),
  enabled: Type.Boolean(),
  source: Type.Union([Type.Literal('partner'), Type.Literal('environment')]),
});

const manage = { access: { permission: 'partner.manage' } } as const;

/** Where the browser goes after the provider's callback: the app, the second-factor page, or back with an error. */
const stepPages = { mfa: '/sign-in/mfa', 'mfa-enrolment': '/sign-in/enrol' } as const;

/** Sign-in through the partner's OpenID Connect provider, and the partner's connection to it. */
export function oidcRoutes(api: Api, app: AppContext) {
  api.get(
    '/auth/oidc/available',
    {
      config: { access: 'public' },
      schema: {
        tags: ['sign-in'],
        summary:
          "Whether the partner (or the installation's default) offers sign-in with its own identity provider",
        querystring: Type.Object({ partner: Type.Optional(Type.String({ maxLength: 63 })) }),
        response: { 200: Type.Object({ available: Type.Boolean() }) },
      },
    },
    async (request) => ({ available: await oidcAvailable(app, request.query.partner) }),
  );
  api.get(
    '/auth/oidc/start',
    {
      config: { access: 'public' },
      schema: {
        tags: ['sign-in'],
        querystring: Type.Object({ partner: Type.Optional(Type.String({ maxLength: 63 })) }),
      },
    },
    async (request, reply) => reply.redirect((await startOidcSignIn(app, request.query.partner)).href, 302),
  );
  api.get(
    '/auth/oidc/callback',
    {
      config: { access: 'public' },
      schema: {
        tags: ['sign-in'],
        querystring: Type.Record(Type.String(), Type.String({ maxLength: 4096 })),
      },
    },
    async (request, reply) => {
      const outcome = await finishOidcSignIn(app, clientMeta(request), request.query);
      if (!outcome.ok) return reply.redirect(`/sign-in?error=${outcome.code}`, 302);
      const { result, customer } = outcome;
      startSession(app, reply, result);
      const home = customer ? '/portal' : '/';
      return reply.redirect(result.step === 'done' ? home : stepPages[result.step], 302);
    },
  );

  api.get(
    '/partner/oidc',
    {
      config: manage,
      schema: {
        tags: ['partner'],
        response: { 200: Type.Object({ connection: Type.Union([OidcConnectionResponse, Type.Null()]) }) },
      },
    },
    async (request) => ({ connection: await getOidcConnection(app, callerOf(request)) }),
  );
  api.put(
    '/partner/oidc',
    {
      config: manage,
      schema: {
        tags: ['partner'],
        body: Type.Object(
          {
            issuer: Type.String({ maxLength: 500 }),
            clientId: Type.String({ maxLength: 200 }),
            clientSecret: Type.Optional(Type.String({ maxLength: 500 })),
            enabled: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: { 200: OidcConnectionResponse },
      },
    },
    async (request) => saveOidcConnection(app, callerOf(request), request.body),
  );
  api.delete('/partner/oidc', { config: manage, schema: { tags: ['partner'] } }, async (request, reply) => {
    await removeOidcConnection(app, callerOf(request));
    return reply.code(204).send();
  });
}
