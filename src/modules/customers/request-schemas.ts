import Type from 'typebox';
import { contactRoles } from './contacts.ts';
import { cloudInstances, customerStatuses } from './customers.ts';

/** Request bodies: types and choices here; the services check formats and name the field at fault. */
const Clearable = (schema: ReturnType<typeof Type.String>) =>
  Type.Optional(Type.Union([schema, Type.Null()]));

const customerFields = {
  name: Type.String(),
  domain: Type.String(),
  country: Type.String(),
  language: Type.Optional(Type.String()),
  currency: Type.Optional(Type.String()),
  cloudInstance: Type.Optional(Type.Enum(cloudInstances)),
  tenantId: Clearable(Type.String({ format: 'uuid' })),
  providerId: Clearable(Type.String({ format: 'uuid' })),
  status: Type.Optional(Type.Enum(customerStatuses)),
};

export const CustomerBody = Type.Object(customerFields, { additionalProperties: false });
export const CustomerPatch = Type.Partial(CustomerBody, { additionalProperties: false });

const contactFields = {
  name: Type.String(),
  email: Type.String(),
  phone: Clearable(Type.String()),
  role: Type.Enum(contactRoles),
  language: Type.Optional(Type.String()),
};

export const ContactBody = Type.Object(contactFields, { additionalProperties: false });
export const ContactPatch = Type.Partial(ContactBody, { additionalProperties: false });
