import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { appUserOf, customerOf, type PartnerCenterContext } from './requests.ts';
import type { ServiceRequest, ServiceRequestSeverity, ServiceRequestStatus, Store } from './store.ts';
import { collection, field, PartnerCenterError, textField } from './wire.ts';

/** The SDK's enum numbers: the customer-list sample sends them instead of the names. */
const severityNumbers: Record<ServiceRequestSeverity, number> = {
  unknown: 0,
  critical: 1,
  moderate: 2,
  minimal: 3,
};
const statusNumbers: Record<ServiceRequestStatus, number> = { open: 1, closed: 2, attention_needed: 3 };
/** .NET's `DateTime.MinValue`, which the samples show for a date that is not set. */
const unsetDate = '0001-01-01T00:00:00';

export interface OpenServiceRequest {
  customerId: string;
  title: string;
  description?: string;
  severity?: ServiceRequestSeverity;
  supportTopicId?: string;
  supportTopicName?: string;
  productName?: string;
  primaryContact?: { firstName: string; lastName: string; email: string };
}

export interface AdvanceServiceRequest {
  status?: ServiceRequestStatus;
  note?: string;
  /** Who wrote the note; Microsoft's support engineer by default. */
  by?: string;
}

function organizationOf(store: Store, request: ServiceRequest) {
  const partner = store.partners.find((candidate) => candidate.tenantId === request.partnerTenantId)!;
  return { id: partner.tenantId, name: partner.name };
}

export function presentServiceRequest(store: Store, request: ServiceRequest) {
  return {
    title: request.title,
    description: request.description,
    severity: request.severity,
    supportTopicId: request.supportTopicId,
    supportTopicName: request.supportTopicName,
    id: request.id,
    status: request.status,
    organization: organizationOf(store, request),
    primaryContact: request.primaryContact,
    productName: request.productName,
    createdDate: request.createdDate.toISOString(),
    lastModifiedDate: request.lastModifiedDate.toISOString(),
    lastClosedDate: request.lastClosedDate?.toISOString() ?? unsetDate,
    notes: request.notes.map((note) => ({ ...note, createdDate: note.createdDate.toISOString() })),
    countryCode: request.countryCode,
    attributes: { objectType: 'ServiceRequest' },
  };
}

/** The customer-list sample's shape: a summary, enums as numbers. */
function presentListItem(request: ServiceRequest) {
  return {
    title: request.title,
    severity: severityNumbers[request.severity],
    id: request.id,
    status: statusNumbers[request.status],
    primaryContact: {
      lastName: request.primaryContact.lastName,
      firstName: request.primaryContact.firstName,
    },
    createdDate: request.createdDate.toISOString(),
    lastModifiedDate: request.lastModifiedDate.toISOString(),
    lastClosedDate: request.lastClosedDate?.toISOString() ?? unsetDate,
    attributes: { objectType: 'ServiceRequest' },
  };
}

/** Stands for a person opening a case in Microsoft's portals: the API has had no create since 2020. */
export function openServiceRequest(store: Store, now: Date, input: OpenServiceRequest): ServiceRequest {
  const customer = store.customers.find((candidate) => candidate.id === input.customerId.toLowerCase());
  if (!customer) throw new PartnerCenterError(404, '404', `Customer ${input.customerId} not found.`);
  if (input.title.trim() === '') throw new PartnerCenterError(400, '400', 'A service request needs a title.');
  const partner = store.partners.find((candidate) => candidate.tenantId === customer.partnerTenantId)!;
  const consent = [...store.grants.values()].find((grant) =>
    partner.apps.some((app) => app.clientId === grant.clientId),
  );
  const request: ServiceRequest = {
    partnerTenantId: partner.tenantId,
    customerId: customer.id,
    id: String(600_000_000_000_000 + randomInt(0, 2 ** 47)),
    title: input.title.trim(),
    description: input.description ?? '',
    severity: input.severity ?? 'moderate',
    // The default is the documented "Partner Center Issues" topic.
    supportTopicId: input.supportTopicId ?? '32444667',
    supportTopicName: input.supportTopicName ?? 'Partner Center Issues',
    productName: input.productName ?? '',
    status: 'open',
    primaryContact: input.primaryContact ?? {
      firstName: 'Partner',
      lastName: 'Administrator',
      email: consent?.userPrincipalName ?? '',
    },
    countryCode: customer.address.country,
    createdDate: now,
    lastModifiedDate: now,
    notes: [],
  };
  store.serviceRequests.push(request);
  return request;
}

/** Stands for Microsoft's engineer (or the partner in the portal) moving a case on. */
export function advanceServiceRequest(
  store: Store,
  now: Date,
  id: string,
  change: AdvanceServiceRequest,
): ServiceRequest | undefined {
  const request = store.serviceRequests.find((candidate) => candidate.id === id);
  if (!request) return undefined;
  if (change.note !== undefined && change.note.trim() !== '') {
    request.notes.push({
      createdByName: change.by ?? 'Microsoft Support',
      createdDate: now,
      text: change.note,
    });
  }
  if (change.status !== undefined && change.status !== request.status) {
    request.status = change.status;
    if (change.status === 'closed') request.lastClosedDate = now;
  }
  request.lastModifiedDate = now;
  return request;
}

export function isServiceRequestStatus(value: unknown): value is ServiceRequestStatus {
  return typeof value === 'string' && value in statusNumbers;
}

export function isServiceRequestSeverity(value: unknown): value is ServiceRequestSeverity {
  return typeof value === 'string' && value in severityNumbers;
}

/** Service requests are App+User only (reference §2.9). */
export function registerServiceRequestRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  const { store } = context;

  app.get<{ Params: { customerId: string } }>(
    '/v1/customers/:customerId/servicerequests',
    async (request) => {
      const caller = appUserOf(context, request);
      const customer = customerOf(context, caller.partnerTenantId, request.params.customerId);
      return collection(
        store.serviceRequests
          .filter((candidate) => candidate.customerId === customer.id)
          .map(presentListItem),
      );
    },
  );

  type ById = { Params: { serviceRequestId: string } };
  const serviceRequestOf = (partnerTenantId: string, id: string) => {
    const found = store.serviceRequests.find(
      (candidate) => candidate.id === id && candidate.partnerTenantId === partnerTenantId,
    );
    if (!found) throw new PartnerCenterError(404, '404', `Service request ${id} not found.`);
    return found;
  };

  app.get<ById>('/v1/servicerequests/:serviceRequestId', async (request) => {
    const caller = appUserOf(context, request);
    return presentServiceRequest(
      store,
      serviceRequestOf(caller.partnerTenantId, request.params.serviceRequestId),
    );
  });

  // Only the changed values are sent; the documented change is a new note (`NewNote.Text`).
  app.patch<ById>('/v1/servicerequests/:serviceRequestId', async (request) => {
    const caller = appUserOf(context, request);
    const found = serviceRequestOf(caller.partnerTenantId, request.params.serviceRequestId);
    const text = textField(field(request.body, 'newNote'), 'text');
    if (text === undefined) {
      throw new PartnerCenterError(400, '400', "The update must carry a note: 'NewNote.Text' is required.");
    }
    const updated = advanceServiceRequest(store, context.clock.now(), found.id, {
      note: text,
      by: caller.userPrincipalName,
    });
    return presentServiceRequest(store, updated!);
  });
}
