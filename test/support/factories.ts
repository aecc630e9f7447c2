import { type CreatePartnerInput, createPartner } from '#modules/partners';
import type { Caller } from '#platform/actor';
import type { AppContext } from '#platform/app';

/** Whoever runs the installation, as the CLI acts. */
export const operator: Caller = { actor: { kind: 'operator', name: 'tests' } };

/** A partner created as the operator would; a direct partner whose legal name is its slug unless told. */
export async function createTestPartner(
  app: AppContext,
  slug: string,
  fields: Partial<Omit<CreatePartnerInput, 'slug'>> = {},
): Promise<string> {
  const { partner } = await createPartner(app, operator, {
    kind: 'direct',
    legalName: slug,
    ...fields,
    slug,
  });
  return partner.id;
}
