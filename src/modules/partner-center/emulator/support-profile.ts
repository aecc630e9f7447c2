import type { FastifyInstance } from 'fastify';
import { appUserOf, type PartnerCenterContext } from './requests.ts';
import { findPartner, type SupportProfile } from './store.ts';
import { link, PartnerCenterError, textField } from './wire.ts';

/** GET answers as the get sample does, PUT as the update sample does (their type names differ). */
function presentSupportProfile(
  profile: SupportProfile,
  objectType: 'SupportProfile' | 'PartnerSupportProfile',
) {
  return {
    email: profile.email,
    telephone: profile.telephone,
    website: profile.website,
    profileType: objectType === 'SupportProfile' ? 'SupportProfile' : 'support_profile',
    links: { self: link('/v1/profiles/support') },
    attributes: { objectType },
  };
}

/**
 * The partner's support contact details, App+User only (reference §2.10). The update page says
 * `/v1/profiles/supportprofile`, the SDK `/v1/profiles/support`: both paths serve both verbs.
 */
export function registerSupportProfileRoutes(app: FastifyInstance, context: PartnerCenterContext) {
  const partnerOfRequest = (request: Parameters<typeof appUserOf>[1]) =>
    findPartner(context.store, appUserOf(context, request).partnerTenantId)!;

  for (const path of ['/v1/profiles/support', '/v1/profiles/supportprofile']) {
    app.get(path, async (request) =>
      presentSupportProfile(partnerOfRequest(request).supportProfile, 'SupportProfile'),
    );

    app.put(path, async (request) => {
      const partner = partnerOfRequest(request);
      const required = (name: keyof SupportProfile) => {
        const value = textField(request.body, name);
        if (value === undefined) throw new PartnerCenterError(400, '400', `The field '${name}' is required.`);
        return value;
      };
      const email = required('email');
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
        throw new PartnerCenterError(400, '400', `'${email}' is not an email address.`);
      }
      partner.supportProfile = { email, telephone: required('telephone'), website: required('website') };
      return presentSupportProfile(partner.supportProfile, 'PartnerSupportProfile');
    });
  }
}
