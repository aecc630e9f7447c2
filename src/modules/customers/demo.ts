import { demoPartners } from '#modules/partners';
import type { AppContext } from '#platform/app';
import { withTransaction } from '#platform/db';
import { insertContact, insertCustomer, type NewContact, type NewCustomer } from './queries.ts';

const { contosoHu, northwindUs, tailspinTw } = demoPartners;

/** The demo customers, with fixed ids so other modules' demo data (users, subscriptions) can point at them. */
export const demoCustomers = {
  fourthCoffee: { id: '0d1e0000-0000-4000-8000-000000000101', partnerId: contosoHu.id },
  alpineSkiHouse: { id: '0d1e0000-0000-4000-8000-000000000102', partnerId: contosoHu.id },
  wingtipToys: { id: '0d1e0000-0000-4000-8000-000000000103', partnerId: contosoHu.id },
  adatum: { id: '0d1e0000-0000-4000-8000-000000000104', partnerId: northwindUs.id },
  litware: { id: '0d1e0000-0000-4000-8000-000000000105', partnerId: northwindUs.id },
  wideWorldImporters: { id: '0d1e0000-0000-4000-8000-000000000106', partnerId: tailspinTw.id },
  cohoWinery: { id: '0d1e0000-0000-4000-8000-000000000107', partnerId: tailspinTw.id },
} as const;

const customers: NewCustomer[] = [
  {
    ...demoCustomers.fourthCoffee,
    name: 'Fourth Coffee Kft.',
    domain: 'fourthcoffeehu.onmicrosoft.com',
    country: 'HU',
    language: 'hu',
    currency: 'HUF',
  },
  {
    // A Russian-speaking company in Vienna, billed in euro.
    ...demoCustomers.alpineSkiHouse,
    name: 'Alpine Ski House GmbH',
    domain: 'alpineskihouse.onmicrosoft.com',
    country: 'AT',
    language: 'ru',
    currency: 'EUR',
    mfaRequired: 'required',
  },
  {
    ...demoCustomers.wingtipToys,
    name: 'Wingtip Toys Hungary Zrt.',
    domain: 'wingtiptoyshu.onmicrosoft.com',
    country: 'HU',
    language: 'en',
    currency: 'EUR',
  },
  {
    ...demoCustomers.adatum,
    name: 'Adatum Corporation',
    domain: 'adatumcorp.onmicrosoft.com',
    country: 'US',
    language: 'en',
    currency: 'USD',
  },
  {
    ...demoCustomers.litware,
    name: 'Litware Public Services',
    domain: 'litwaregov.onmicrosoft.us',
    cloudInstance: 'usgov',
    country: 'US',
    language: 'en',
    currency: 'USD',
  },
  {
    ...demoCustomers.wideWorldImporters,
    name: '寰宇進口股份有限公司',
    domain: 'wwimporterstw.onmicrosoft.com',
    country: 'TW',
    language: 'zh-Hant',
    currency: 'TWD',
    providerId: northwindUs.id,
  },
  {
    // Microsoft's cloud in mainland China is operated by 21Vianet.
    ...demoCustomers.cohoWinery,
    name: '科霍酒庄（上海）有限公司',
    domain: 'cohowinerysh.partner.onmschina.cn',
    cloudInstance: 'china',
    country: 'CN',
    language: 'zh-Hans',
    currency: 'CNY',
    providerId: northwindUs.id,
  },
];

const contact = (
  customer: { id: string; partnerId: string },
  number: number,
  values: Omit<NewContact, 'partnerId' | 'customerId' | 'id'>,
): NewContact => ({
  ...values,
  id: `0d1e0000-0000-4000-8000-000000000${200 + number}`,
  partnerId: customer.partnerId,
  customerId: customer.id,
});

const contacts: NewContact[] = [
  contact(demoCustomers.fourthCoffee, 1, {
    name: 'Kovács Eszter',
    email: 'eszter.kovacs@fourthcoffee.example',
    phone: '+36 30 555 0101',
    role: 'billing',
    language: 'hu',
  }),
  contact(demoCustomers.fourthCoffee, 2, {
    name: 'Nagy Balázs',
    email: 'balazs.nagy@fourthcoffee.example',
    role: 'technical',
    language: 'hu',
  }),
  contact(demoCustomers.alpineSkiHouse, 3, {
    name: 'Анна Смирнова',
    email: 'anna.smirnova@alpineskihouse.example',
    phone: '+43 1 555 0133',
    role: 'billing',
    language: 'ru',
  }),
  contact(demoCustomers.alpineSkiHouse, 4, {
    name: 'Lukas Gruber',
    email: 'lukas.gruber@alpineskihouse.example',
    role: 'technical',
    language: 'en',
  }),
  contact(demoCustomers.wingtipToys, 5, {
    name: 'Claire Dubois',
    email: 'claire.dubois@wingtiptoys.example',
    role: 'general',
    language: 'en',
  }),
  contact(demoCustomers.adatum, 6, {
    name: 'Maria Garcia',
    email: 'maria.garcia@adatum.example',
    phone: '+1 206 555 0166',
    role: 'billing',
    language: 'en',
  }),
  contact(demoCustomers.litware, 7, {
    name: 'James Carter',
    email: 'james.carter@litware.example',
    role: 'general',
    language: 'en',
  }),
  contact(demoCustomers.wideWorldImporters, 8, {
    name: '陳怡君',
    email: 'yichun.chen@wwimporters.example',
    phone: '+886 2 5555 0108',
    role: 'billing',
    language: 'zh-Hant',
  }),
  contact(demoCustomers.cohoWinery, 9, {
    name: '王伟',
    email: 'wei.wang@cohowinery.example',
    phone: '+86 21 5555 0109',
    role: 'billing',
    language: 'zh-Hans',
  }),
];

export async function seedDemoCustomers(app: AppContext): Promise<void> {
  await withTransaction(app.database, async (tx) => {
    for (const customer of customers) await insertCustomer(tx, customer);
    for (const row of contacts) await insertContact(tx, row);
  });
}
