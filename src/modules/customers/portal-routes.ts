import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { createContact, deleteContact, listContacts, updateContact } from './contacts.ts';
import { getOwnCustomer, ownCustomerId, setCustomerMfaRequired } from './customers.ts';
import {
  PortalContactResponse,
  PortalCustomerResponse,
  presentContactForCustomer,
  presentCustomerForCustomer,
} from './presenters.ts';
import { ContactBody, ContactPatch } from './request-schemas.ts';

const ContactParams = Type.Object({ contactId: Type.String({ format: 'uuid' }) });

/** The customer API: a customer user's own customer and its contacts, nothing else. */
export function customerPortalRoutes(api: Api, app: AppContext) {
  api.get(
    '/portal/customer',
    {
      config: { access: { permission: 'portal.customer.read' } },
      schema: { tags: ['portal'], summary: 'Your organisation', response: { 200: PortalCustomerResponse } },
    },
    async (request) => presentCustomerForCustomer(await getOwnCustomer(app, callerOf(request))),
  );

  const MfaPolicy = Type.Object({ required: Type.Boolean() }, { additionalProperties: false });
  api.get(
    '/portal/customer/mfa-policy',
    {
      config: { access: { permission: 'portal.customer_users.manage' } },
      schema: {
        tags: ['portal'],
        summary: "Whether your organisation's users must use two-step verification",
        response: { 200: MfaPolicy },
      },
    },
    async (request) => ({
      required: (await getOwnCustomer(app, callerOf(request))).mfaRequired === 'required',
    }),
  );
  api.put(
    '/portal/customer/mfa-policy',
    {
      config: { access: { permission: 'portal.customer_users.manage' } },
      schema: {
        tags: ['portal'],
        summary: "Require (or stop requiring) two-step verification of your organisation's users",
        body: MfaPolicy,
        response: { 200: MfaPolicy },
      },
    },
    async (request) => ({
      required:
        (await setCustomerMfaRequired(app, callerOf(request), request.body.required)).mfaRequired ===
        'required',
    }),
  );

  api.get(
    '/portal/contacts',
    {
      config: { access: { permission: 'portal.customer.read' } },
      schema: {
        tags: ['portal'],
        summary: "Your organisation's contacts",
        response: { 200: Type.Array(PortalContactResponse) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return (await listContacts(app, caller, ownCustomerId(caller))).map(presentContactForCustomer);
    },
  );

  api.post(
    '/portal/contacts',
    {
      config: { access: { permission: 'portal.contacts.manage' } },
      schema: {
        tags: ['portal'],
        summary: 'Add a contact',
        body: ContactBody,
        response: { 201: PortalContactResponse },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const contact = await createContact(app, caller, ownCustomerId(caller), request.body);
      return reply.code(201).send(presentContactForCustomer(contact));
    },
  );

  api.patch(
    '/portal/contacts/:contactId',
    {
      config: { access: { permission: 'portal.contacts.manage' } },
      schema: {
        tags: ['portal'],
        summary: 'Change a contact',
        params: ContactParams,
        body: ContactPatch,
        response: { 200: PortalContactResponse },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return presentContactForCustomer(
        await updateContact(app, caller, ownCustomerId(caller), request.params.contactId, request.body),
      );
    },
  );

  api.delete(
    '/portal/contacts/:contactId',
    {
      config: { access: { permission: 'portal.contacts.manage' } },
      schema: { tags: ['portal'], summary: 'Remove a contact', params: ContactParams },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      await deleteContact(app, caller, ownCustomerId(caller), request.params.contactId);
      return reply.code(204).send();
    },
  );
}
