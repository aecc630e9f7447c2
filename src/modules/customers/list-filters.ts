import type { SQL } from 'drizzle-orm';
import { invalid } from '#platform/errors';

/**
 * Filters of the customer list that only a later module can compute (which customers have an Azure
 * subscription, a suspended one): the module registers a builder when it loads, since customers may
 * not import it. A builder returns a query selecting the ids of the partner's customers that match
 * `value`, and throws `invalid` naming the filter when the value is not one it knows.
 */
export type CustomerListFilter = (partnerId: string, value: string) => SQL;

const filters = new Map<string, CustomerListFilter>();

export function registerCustomerListFilter(name: string, build: CustomerListFilter): void {
  filters.set(name, build);
}

/** The id queries of the given filters; a filter no module registered is refused by name. */
export function customerListFilters(
  partnerId: string,
  given: Readonly<Record<string, string | undefined>>,
): SQL[] {
  return Object.entries(given).flatMap(([name, value]) => {
    if (value === undefined) return [];
    const build = filters.get(name);
    if (!build)
      throw invalid('unknown-filter', `${name} cannot be filtered on in this installation`, { field: name });
    return [build(partnerId, value)];
  });
}
