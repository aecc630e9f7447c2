import Type from 'typebox';
import type { AppContext } from '#platform/app';
import { type Api, callerOf } from '#platform/http';
import { getPartnerLogo, getPublicLogo, setPartnerLogo } from './logo.ts';
import { logoMaxBytes } from './logo-format.ts';
import { getPartnerBySlug, getPartnerSettings, updatePartnerSettings } from './partners.ts';
import {
  PartnerSettingsResponse,
  PublicBrandingResponse,
  presentPartnerSettings,
  presentPublicBranding,
} from './presenters.ts';

/** An optional setting: absent leaves it, null clears it. */
const Clearable = () => Type.Optional(Type.Union([Type.String(), Type.Null()]));

const PartnerSettingsPatch = Type.Object(
  {
    legalName: Type.Optional(Type.String()),
    displayName: Type.Optional(Type.String()),
    defaultLanguage: Type.Optional(Type.String()),
    timeZone: Type.Optional(Type.String()),
    currency: Type.Optional(Type.String()),
    senderName: Clearable(),
    senderAddress: Clearable(),
    supportEmail: Clearable(),
    supportPhone: Clearable(),
    supportUrl: Clearable(),
    brandColor: Type.Optional(Type.String()),
    accentColor: Type.Optional(Type.String()),
    paymentTermsDays: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 63 }) });

const imageTypes = ['image/png', 'image/jpeg'];

export async function partnerRoutes(api: Api, app: AppContext) {
  api.get(
    '/partner',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['partners'],
        summary: "The signed-in staff member's partner: settings and branding",
        response: { 200: PartnerSettingsResponse },
      },
    },
    async (request) => presentPartnerSettings(await getPartnerSettings(app, callerOf(request))),
  );

  api.patch(
    '/partner',
    {
      config: { access: { permission: 'partner.manage' } },
      schema: {
        tags: ['partners'],
        summary: 'Change partner settings; null clears an optional one',
        body: PartnerSettingsPatch,
        response: { 200: PartnerSettingsResponse },
      },
    },
    async (request) =>
      presentPartnerSettings(await updatePartnerSettings(app, callerOf(request), request.body)),
  );

  api.get(
    '/partner/logo',
    { config: { access: 'signed-in' }, schema: { tags: ['partners'], summary: "The partner's logo" } },
    async (request, reply) => {
      const logo = await getPartnerLogo(app, callerOf(request));
      return reply.type(logo.contentType).header('cache-control', 'private, max-age=300').send(logo.body);
    },
  );

  // The raw image parser stays inside this plugin, so no other route accepts image bodies.
  await api.register(async (uploads: Api) => {
    uploads.addContentTypeParser(
      imageTypes,
      // Above the logo limit, so a slightly large image gets the service's message naming the field.
      { parseAs: 'buffer', bodyLimit: 2 * logoMaxBytes },
      (_request, body, done) => done(null, body),
    );
    uploads.put(
      '/partner/logo',
      {
        config: { access: { permission: 'partner.manage' } },
        schema: {
          tags: ['partners'],
          summary: `Upload the partner's logo: a PNG or JPEG image of at most ${logoMaxBytes / 1024} KB`,
          consumes: imageTypes,
          response: { 200: PartnerSettingsResponse },
        },
      },
      async (request) =>
        presentPartnerSettings(
          await setPartnerLogo(app, callerOf(request), {
            contentType: request.headers['content-type'] ?? '',
            bytes: request.body as Buffer,
          }),
        ),
    );
  });

  api.get(
    '/partners/:slug/branding',
    {
      config: { access: 'public' },
      schema: {
        tags: ['partners'],
        summary: "A partner's name, colours, logo and support contact, for its sign-in page",
        params: SlugParams,
        response: { 200: PublicBrandingResponse },
      },
    },
    async (request) => presentPublicBranding(await getPartnerBySlug(app.database.db, request.params.slug)),
  );

  api.get(
    '/partners/:slug/logo',
    {
      config: { access: 'public' },
      schema: { tags: ['partners'], summary: "A partner's logo, for its sign-in page", params: SlugParams },
    },
    async (request, reply) => {
      const logo = await getPublicLogo(app, request.params.slug);
      return reply.type(logo.contentType).header('cache-control', 'public, max-age=300').send(logo.body);
    },
  );
}
