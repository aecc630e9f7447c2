import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { getCustomer } from '#modules/customers';
import { type Caller, isScoped, type SignedIn } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { DomainError, notFound } from '#platform/errors';
import { type Api, callerOf, type RouteAccess } from '#platform/http';
import { clientMeta, endSessionCookies, startSession } from './cookies.ts';
import { confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes, startTotpEnrolment } from './mfa.ts';
import { customerRoles, staffRoles } from './permissions.ts';
import { MeResponse, presentUser, TokenResponse, UserResponse } from './presenters.ts';
import {
  changePassword,
  createToken,
  describeMe,
  listTokens,
  presentToken,
  revokeToken,
  updateMe,
} from './profile.ts';
import { getUserById, listUsers, type User } from './queries.ts';
import { signInWithPassword, signOut, signOutEverywhere, verifySecondFactor } from './sign-in.ts';
import {
  acceptInvitation,
  changeUser,
  completePasswordReset,
  inspectInvitation,
  inviteStaff,
  inviteUser,
  requestPasswordReset,
} from './users.ts';

const Email = Type.String({ minLength: 3, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const StaffRole = Type.Union(staffRoles.map((role) => Type.Literal(role)));
const CustomerRole = Type.Union(customerRoles.map((role) => Type.Literal(role)));
const Language = Type.Union([Type.String({ maxLength: 20 }), Type.Null()]);
const Step = Type.Object({
  step: Type.Union([Type.Literal('mfa'), Type.Literal('mfa-enrolment'), Type.Literal('done')]),
});
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The user behind the request's session or token (signing-in actors included). */
async function currentUser(app: AppContext, request: FastifyRequest): Promise<User> {
  const actor = request.actor;
  if (actor.kind !== 'signing-in' && !isScoped(actor))
    throw new DomainError('unauthenticated', 'unauthenticated', 'Sign in to use this');
  const user = await getUserById(app.database.db, actor.partnerId, actor.id);
  if (!user) throw new DomainError('unauthenticated', 'unauthenticated', 'Sign in to use this');
  return user;
}

function signedInCaller(request: FastifyRequest): Caller & { actor: SignedIn } {
  const caller = callerOf(request);
  if (!isScoped(caller.actor))
    throw new DomainError('unauthenticated', 'unauthenticated', 'Sign in to use this');
  return caller as Caller & { actor: SignedIn };
}

async function inviterName(app: AppContext, actor: SignedIn) {
  return (await getUserById(app.database.db, actor.partnerId, actor.id))?.name ?? '';
}

/** Sign-in, the signed-in person's own account, and partner staff. */
export function identityRoutes(api: Api, app: AppContext) {
  api.post(
    '/auth/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags: ['sign-in'],
        body: Type.Object({ email: Email, password: Password }),
        response: { 200: Step },
      },
    },
    async (request, reply) =>
      startSession(app, reply, await signInWithPassword(app, clientMeta(request), request.body)),
  );
  api.post(
    '/auth/mfa',
    {
      config: { access: 'signing-in' },
      schema: {
        tags: ['sign-in'],
        body: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 12 })),
          recoveryCode: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: { 200: Step },
      },
    },
    async (request, reply) => {
      if (!request.session) throw notFound('Session');
      return startSession(
        app,
        reply,
        await verifySecondFactor(app, request.session, clientMeta(request), request.body),
      );
    },
  );
  api.post(
    '/auth/mfa/enrolment',
    {
      config: { access: 'signing-in' },
      schema: {
        tags: ['sign-in'],
        response: {
          200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() }),
        },
      },
    },
    async (request) => {
      if (request.actor.kind === 'signing-in' && request.actor.step !== 'mfa-enrolment') {
        throw new DomainError('unauthenticated', 'mfa-required', 'Enter your verification code to continue');
      }
      return startTotpEnrolment(app, callerOf(request), await currentUser(app, request));
    },
  );
  api.post(
    '/auth/mfa/enrolment/confirm',
    {
      config: { access: 'signing-in' },
      schema: {
        tags: ['sign-in'],
        body: Type.Object({ code: Type.String({ maxLength: 12 }) }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (request, reply) => {
      const user = await currentUser(app, request);
      const result = await confirmTotpEnrolment(
        app,
        callerOf(request),
        user,
        request.session,
        clientMeta(request),
        request.body.code,
      );
      if (result.signedIn) startSession(app, reply, result.signedIn);
      return { recoveryCodes: result.recoveryCodes };
    },
  );
  api.post(
    '/auth/sign-out',
    { config: { access: 'signing-in' }, schema: { tags: ['sign-in'] } },
    async (request, reply) => {
      if (request.session) await signOut(app, request.session, callerOf(request));
      endSessionCookies(app, reply);
      return reply.code(204).send();
    },
  );
  api.post(
    '/auth/sign-out-everywhere',
    { config: { access: 'signed-in' }, schema: { tags: ['sign-in'] } },
    async (request, reply) => {
      const caller = signedInCaller(request);
      await signOutEverywhere(app, caller.actor.partnerId, caller.actor.id, caller);
      endSessionCookies(app, reply);
      return reply.code(204).send();
    },
  );
  api.post(
    '/auth/password-reset',
    { config: { access: 'public' }, schema: { tags: ['sign-in'], body: Type.Object({ email: Email }) } },
    async (request, reply) => {
      await requestPasswordReset(app, callerOf(request), request.body.email);
      return reply.code(202).send();
    },
  );
  // The two mailed links that set a password.
  for (const [path, redeem] of [
    ['/auth/password-reset/complete', completePasswordReset],
    ['/auth/invitations/accept', acceptInvitation],
  ] as const) {
    api.post(
      path,
      {
        config: { access: 'public' },
        schema: {
          tags: ['sign-in'],
          body: Type.Object({ token: Type.String({ maxLength: 200 }), password: Password }),
        },
      },
      async (request, reply) => {
        await redeem(app, callerOf(request), request.body);
        return reply.code(204).send();
      },
    );
  }
  api.post(
    '/auth/invitations/inspect',
    {
      config: { access: 'public' },
      schema: {
        tags: ['sign-in'],
        body: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        response: {
          200: Type.Object({
            email: Type.String(),
            name: Type.String(),
            organisationName: Type.String(),
            kind: Type.Union([Type.Literal('staff'), Type.Literal('customer')]),
          }),
        },
      },
    },
    async (request) => inspectInvitation(app, request.body.token),
  );
  // The signed-in person.
  api.get(
    '/me',
    { config: { access: 'signing-in' }, schema: { tags: ['profile'], response: { 200: MeResponse } } },
    async (request) => {
      const step = request.actor.kind === 'signing-in' ? request.actor.step : 'done';
      return describeMe(app, await currentUser(app, request), step);
    },
  );
  api.patch(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['profile'],
        body: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 200 })),
          language: Type.Optional(Language),
        }),
        response: { 200: MeResponse },
      },
    },
    async (request) =>
      describeMe(
        app,
        await updateMe(app, callerOf(request), await currentUser(app, request), request.body),
        'done',
      ),
  );
  api.post(
    '/me/password',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['profile'], body: Type.Object({ currentPassword: Password, newPassword: Password }) },
    },
    async (request, reply) => {
      await changePassword(app, callerOf(request), await currentUser(app, request), request.body);
      return reply.code(204).send();
    },
  );
  api.post(
    '/me/mfa/recovery-codes',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['profile'],
        body: Type.Object({ code: Type.String({ maxLength: 12 }) }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (request) =>
      regenerateRecoveryCodes(
        app,
        callerOf(request),
        await currentUser(app, request),
        request.body.code,
        clientMeta(request),
      ),
  );
  api.delete(
    '/me/mfa',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['profile'], body: Type.Object({ code: Type.String({ maxLength: 12 }) }) },
    },
    async (request, reply) => {
      await disableTotp(
        app,
        callerOf(request),
        await currentUser(app, request),
        request.body.code,
        clientMeta(request),
      );
      return reply.code(204).send();
    },
  );
  api.get(
    '/me/tokens',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['profile'], response: { 200: Type.Object({ tokens: Type.Array(TokenResponse) }) } },
    },
    async (request) => ({ tokens: (await listTokens(app, signedInCaller(request).actor)).map(presentToken) }),
  );
  api.post(
    '/me/tokens',
    {
      config: { access: 'signed-in', secretResponse: true },
      schema: {
        tags: ['profile'],
        body: Type.Object({
          name: Type.String({ maxLength: 100 }),
          permissions: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 }),
          expiresInDays: Type.Integer(),
        }),
        response: { 201: Type.Intersect([TokenResponse, Type.Object({ token: Type.String() })]) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createToken(app, signedInCaller(request), request.body)),
  );
  api.delete(
    '/me/tokens/:id',
    { config: { access: 'signed-in' }, schema: { tags: ['profile'], params: Id } },
    async (request, reply) => {
      await revokeToken(app, signedInCaller(request), request.params.id);
      return reply.code(204).send();
    },
  );

  // Partner staff.
  const manageStaff = { access: { permission: 'partner_users.manage' } } as const;
  api.get(
    '/users',
    {
      config: manageStaff,
      schema: {
        tags: ['users'],
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')]),
          ),
          q: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Type.Object({ users: Type.Array(UserResponse) }) },
      },
    },
    async (request) => {
      const partnerId = signedInCaller(request).actor.partnerId;
      return { users: (await listUsers(app.database.db, partnerId, null, request.query)).map(presentUser) };
    },
  );
  api.post(
    '/users',
    {
      config: manageStaff,
      schema: {
        tags: ['users'],
        body: Type.Object({
          email: Email,
          name: Type.String({ maxLength: 200 }),
          roles: Type.Array(StaffRole, { maxItems: 5 }),
          language: Type.Optional(Language),
        }),
        response: { 201: UserResponse },
      },
    },
    async (request, reply) => {
      const caller = signedInCaller(request);
      const { user } = await inviteStaff(app, caller, request.body, await inviterName(app, caller.actor));
      return reply.code(201).send(presentUser(user));
    },
  );
  api.patch(
    '/users/:id',
    {
      config: manageStaff,
      schema: {
        tags: ['users'],
        params: Id,
        body: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 200 })),
          roles: Type.Optional(Type.Array(StaffRole, { maxItems: 5 })),
        }),
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const caller = signedInCaller(request);
      return presentUser(await changeUser(app, caller, null, request.params.id, request.body, ''));
    },
  );
  for (const action of ['deactivate', 'reactivate', 'mfa-reset', 'resend-invitation'] as const) {
    api.post(
      `/users/:id/${action}`,
      { config: manageStaff, schema: { tags: ['users'], params: Id, response: { 200: UserResponse } } },
      async (request) => {
        const caller = signedInCaller(request);
        return presentUser(
          await changeUser(
            app,
            caller,
            null,
            request.params.id,
            action,
            await inviterName(app, caller.actor),
          ),
        );
      },
    );
  }

  // Customer users, by partner staff.
  customerUserRoutes(api, app, {
    path: '/customers/:customerId/users',
    access: { permission: 'customer_users.manage' },
    tag: 'users',
    customerOf: (request) => (request.params as { customerId: string }).customerId,
  });
}

/** A customer admin's own customer's users. */
export function identityPortalRoutes(api: Api, app: AppContext) {
  customerUserRoutes(api, app, {
    path: '/portal/users',
    access: { permission: 'portal.customer_users.manage' },
    tag: 'portal',
    customerOf: (request) => {
      const { customerId } = signedInCaller(request).actor;
      if (!customerId) throw notFound('Customer');
      return customerId;
    },
  });
}

interface CustomerUserRoutes {
  /** Where the customer's users live; staff name the customer in the path, a customer admin has one. */
  path: string;
  access: RouteAccess;
  tag: string;
  customerOf: (request: FastifyRequest) => string;
}

/** Listing, inviting and changing one customer's users: the same for partner staff and customer admins. */
function customerUserRoutes(api: Api, app: AppContext, routes: CustomerUserRoutes) {
  const config = { access: routes.access };
  const pathParams = Type.Object({ customerId: Type.Optional(Type.String({ format: 'uuid' })) });
  const userParams = Type.Object({
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    id: Type.String({ format: 'uuid' }),
  });
  const tags = [routes.tag];
  /** The customer, checked to be inside the caller's partner (another partner's is not found). */
  const customerOf = async (request: FastifyRequest) => {
    const caller = signedInCaller(request);
    const customer = await getCustomer(
      app.database.db,
      { partnerId: caller.actor.partnerId },
      routes.customerOf(request),
    );
    return { caller, customerId: customer.id };
  };
  api.get(
    routes.path,
    {
      config,
      schema: {
        tags,
        params: pathParams,
        response: { 200: Type.Object({ users: Type.Array(UserResponse) }) },
      },
    },
    async (request) => {
      const { caller, customerId } = await customerOf(request);
      return {
        users: (await listUsers(app.database.db, caller.actor.partnerId, customerId)).map(presentUser),
      };
    },
  );
  api.post(
    routes.path,
    {
      config,
      schema: {
        tags,
        params: pathParams,
        body: Type.Object({
          email: Email,
          name: Type.String({ maxLength: 200 }),
          role: CustomerRole,
          language: Type.Optional(Language),
        }),
        response: { 201: UserResponse },
      },
    },
    async (request, reply) => {
      const { caller, customerId } = await customerOf(request);
      const { role, ...rest } = request.body;
      const invited = { ...rest, roles: [role] };
      const { user } = await inviteUser(
        app,
        caller,
        caller.actor.partnerId,
        customerId,
        invited,
        await inviterName(app, caller.actor),
      );
      return reply.code(201).send(presentUser(user));
    },
  );
  api.patch(
    `${routes.path}/:id`,
    {
      config,
      schema: {
        tags,
        params: userParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 200 })),
          role: Type.Optional(CustomerRole),
        }),
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const { caller, customerId } = await customerOf(request);
      const { name, role } = request.body;
      return presentUser(
        await changeUser(
          app,
          caller,
          customerId,
          request.params.id,
          { name, ...(role ? { roles: [role] } : {}) },
          '',
        ),
      );
    },
  );
  for (const action of ['deactivate', 'reactivate', 'resend-invitation'] as const) {
    api.post(
      `${routes.path}/:id/${action}`,
      { config, schema: { tags, params: userParams, response: { 200: UserResponse } } },
      async (request) => {
        const { caller, customerId } = await customerOf(request);
        return presentUser(
          await changeUser(
            app,
            caller,
            customerId,
            request.params.id,
            action,
            await inviterName(app, caller.actor),
          ),
        );
      },
    );
  }
}
