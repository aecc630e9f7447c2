import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { createContact, deleteContact, listContacts, updateContact } from './contacts.ts';
import {
  cloudInstances,
  createCustomer,
  customerStatuses,
  getCustomerForCaller,
  listCustomers,
  updateCustomer,
} from './customers.ts';
import {
  ContactResponse,
  CustomerListResponse,
  CustomerResponse,
  presentContactForStaff,
  presentCustomerForStaff,
} from './presenters.ts';
import { ContactBody, ContactPatch, CustomerBody, CustomerPatch } from './request-schemas.ts';

const CustomerParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ContactParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contactId: Type.String({ format: 'uuid' }),
});

/** The staff API: customers of the signed-in staff member's partner. */
export function customerRoutes(api: Api, app: AppContext) {
  api.get(
    '/customers',
    {
      config: { access: { permission: 'customers.read' } },
      schema: {
        tags: ['customers'],
        summary:
          'Customers by name; search by name or domain; filter by cloud, service family, subscription status; cursor pages',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          status: Type.Optional(Type.Enum(customerStatuses)),
          cloud: Type.Optional(Type.Enum(cloudInstances)),
          /** Customers with at least one subscription of this family (`azure`, `m365`, `d365`, `other`). */
          serviceFamily: Type.Optional(Type.String({ maxLength: 50 })),
          /** Customers with at least one subscription in this status (`active`, `suspended`, …). */
          subscriptionStatus: Type.Optional(Type.String({ maxLength: 50 })),
          removedUpstream: Type.Optional(Type.Boolean()),
          cursor: Type.Optional(Type.String({ maxLength: 1000 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: CustomerListResponse },
      },
    },
    async (request) => {
      const { q, serviceFamily, subscriptionStatus, ...query } = request.query;
      const page = await listCustomers(app, callerOf(request), {
        ...query,
        search: q,
        filters: { serviceFamily, subscriptionStatus },
      });
      return { items: page.customers.map(presentCustomerForStaff), nextCursor: page.nextCursor };
    },
  );

  api.post(
    '/customers',
    {
      config: { access: { permission: 'customers.manage' } },
      schema: {
        tags: ['customers'],
        summary: 'Add a customer; language and currency default to the partner’s',
        body: CustomerBody,
        response: { 201: CustomerResponse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(presentCustomerForStaff(await createCustomer(app, callerOf(request), request.body))),
  );

  api.get(
    '/customers/:id',
    {
      config: { access: { permission: 'customers.read' } },
      schema: {
        tags: ['customers'],
        summary: 'A customer',
        params: CustomerParams,
        response: { 200: CustomerResponse },
      },
    },
    async (request) =>
      presentCustomerForStaff(await getCustomerForCaller(app, callerOf(request), request.params.id)),
  );

  api.patch(
    '/customers/:id',
    {
      config: { access: { permission: 'customers.edit_details' } },
      schema: {
        tags: ['customers'],
        summary:
          'Change a customer: name and language need customers.edit_details, the rest customers.manage',
        params: CustomerParams,
        body: CustomerPatch,
        response: { 200: CustomerResponse },
      },
    },
    async (request) =>
      presentCustomerForStaff(await updateCustomer(app, callerOf(request), request.params.id, request.body)),
  );

  api.get(
    '/customers/:id/contacts',
    {
      config: { access: { permission: 'customers.read' } },
      schema: {
        tags: ['customers'],
        summary: "A customer's contacts",
        params: CustomerParams,
        response: { 200: Type.Array(ContactResponse) },
      },
    },
    async (request) =>
      (await listContacts(app, callerOf(request), request.params.id)).map(presentContactForStaff),
  );

  api.post(
    '/customers/:id/contacts',
    {
      config: { access: { permission: 'customers.edit_details' } },
      schema: {
        tags: ['customers'],
        summary: 'Add a contact to a customer',
        params: CustomerParams,
        body: ContactBody,
        response: { 201: ContactResponse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          presentContactForStaff(
            await createContact(app, callerOf(request), request.params.id, request.body),
          ),
        ),
  );

  api.patch(
    '/customers/:id/contacts/:contactId',
    {
      config: { access: { permission: 'customers.edit_details' } },
      schema: {
        tags: ['customers'],
        summary: 'Change a contact',
        params: ContactParams,
        body: ContactPatch,
        response: { 200: ContactResponse },
      },
    },
    async (request) =>
      presentContactForStaff(
        await updateContact(
          app,
          callerOf(request),
          request.params.id,
          request.params.contactId,
          request.body,
        ),
      ),
  );

  api.delete(
    '/customers/:id/contacts/:contactId',
    {
      config: { access: { permission: 'customers.edit_details' } },
      schema: { tags: ['customers'], summary: 'Remove a contact', params: ContactParams },
    },
    async (request, reply) => {
      await deleteContact(app, callerOf(request), request.params.id, request.params.contactId);
      return reply.code(204).send();
    },
  );
}
