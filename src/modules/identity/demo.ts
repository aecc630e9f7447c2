import { createHash, randomUUID } from 'node:crypto';
import { Secret } from 'otpauth';
import { recordAudit } from '#modules/audit';
import { demoCustomers } from '#modules/customers';
import { demoPartners } from '#modules/partners';
import type { AppContext } from '#platform/app';
import { withTransaction } from '#platform/db';
import { hashPassword } from './passwords.ts';
import type { Role } from './permissions.ts';
import { users } from './schema.ts';
import { currentTotp } from './totp.ts';

/** One password for every demo account: long enough, and on no common-password list. */
export const DEMO_PASSWORD = 'Partnerdesk-demo-2026';

interface DemoUser {
  email: string;
  name: string;
  partnerId: string;
  customerId?: string;
  roles: Role[];
  language?: string;
  /** Staff always; customer users only where their customer requires it. */
  mfa: boolean;
}

const { contosoHu, northwindUs, tailspinTw } = demoPartners;

export const demoUsers: DemoUser[] = [
  {
    email: 'admin@contoso-hu.example',
    name: 'Kovács Anna',
    partnerId: contosoHu.id,
    roles: ['global_admin'],
    language: 'hu',
    mfa: true,
  },
  {
    email: 'users@contoso-hu.example',
    name: 'Nagy Péter',
    partnerId: contosoHu.id,
    roles: ['user_admin'],
    mfa: true,
  },
  {
    email: 'helpdesk@contoso-hu.example',
    name: 'Szabó Eszter',
    partnerId: contosoHu.id,
    roles: ['helpdesk_agent'],
    mfa: true,
  },
  {
    email: 'billing@contoso-hu.example',
    name: 'Tóth Gábor',
    partnerId: contosoHu.id,
    roles: ['billing_admin'],
    mfa: true,
  },
  {
    email: 'sales@contoso-hu.example',
    name: 'Horváth Réka',
    partnerId: contosoHu.id,
    roles: ['sales_agent'],
    mfa: true,
  },
  {
    email: 'it@fourthcoffee.example',
    name: 'Varga László',
    partnerId: contosoHu.id,
    customerId: demoCustomers.fourthCoffee.id,
    roles: ['customer_admin'],
    mfa: false,
  },
  {
    email: 'office@fourthcoffee.example',
    name: 'Kiss Júlia',
    partnerId: contosoHu.id,
    customerId: demoCustomers.fourthCoffee.id,
    roles: ['customer_user'],
    mfa: false,
  },
  {
    email: 'admin@alpineskihouse.example',
    name: 'Ирина Петрова',
    partnerId: contosoHu.id,
    customerId: demoCustomers.alpineSkiHouse.id,
    roles: ['customer_admin'],
    language: 'ru',
    mfa: true,
  },
  {
    email: 'admin@northwind-cloud.example',
    name: 'Jordan Miller',
    partnerId: northwindUs.id,
    roles: ['global_admin'],
    language: 'en',
    mfa: true,
  },
  {
    email: 'it@adatum.example',
    name: 'Sam Rivera',
    partnerId: northwindUs.id,
    customerId: demoCustomers.adatum.id,
    roles: ['customer_admin'],
    mfa: false,
  },
  {
    email: 'admin@tailspin-cloud.example',
    name: '林怡君',
    partnerId: tailspinTw.id,
    roles: ['global_admin'],
    language: 'zh-Hant',
    mfa: true,
  },
  {
    email: 'it@wideworldimporters.example',
    name: '陳志明',
    partnerId: tailspinTw.id,
    customerId: demoCustomers.wideWorldImporters.id,
    roles: ['customer_admin'],
    language: 'zh-Hant',
    mfa: false,
  },
];

/** A fixed TOTP secret per demo address, so the sign-ins printed at start keep working across resets. */
export function demoTotpSecret(email: string): string {
  const bytes = createHash('sha256').update(`partnerdesk demo ${email}`).digest().subarray(0, 20);
  return new Secret({ buffer: new Uint8Array(bytes).buffer }).base32;
}

export async function seedDemoUsers(app: AppContext) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = app.clock.now();
  await withTransaction(app.database, async (tx) => {
    for (const demo of demoUsers) {
      const id = randomUUID();
      const inserted = await tx
        .insert(users)
        .values({
          partnerId: demo.partnerId,
          id,
          customerId: demo.customerId ?? null,
          email: demo.email,
          name: demo.name,
          roles: demo.roles,
          language: demo.language ?? null,
          status: 'active',
          passwordHash,
          passwordChangedAt: now,
          ...(demo.mfa
            ? {
                totpSecret: app.secrets.encrypt(demoTotpSecret(demo.email), `totp:${id}`),
                totpEnabledAt: now,
              }
            : {}),
        })
        .onConflictDoNothing()
        .returning({ id: users.id, partnerId: users.partnerId });
      const user = inserted[0];
      if (!user) continue;
      await recordAudit(
        tx,
        { actor: { kind: 'system', name: 'demo' } },
        {
          partnerId: user.partnerId,
          ...(demo.customerId ? { customerId: demo.customerId } : {}),
          action: 'user.created',
          target: { type: 'user', id: user.id },
          after: { email: demo.email, roles: demo.roles },
        },
      );
    }
  });
}

/** The banner lines `npm start` prints on the start that loaded the demo. */
export function demoSignIns(now: Date): string[] {
  const width = Math.max(...demoUsers.map((user) => user.email.length));
  return [
    '',
    `Demo sign-ins (password for all: ${DEMO_PASSWORD}). Staff must give a TOTP code: add the secret to an`,
    'authenticator app, or run `npx partnerdesk demo codes` for the current codes.',
    ...demoUsers.map((user) => {
      const role = user.roles.join(', ');
      const mfa = user.mfa
        ? `TOTP secret ${demoTotpSecret(user.email)} (now ${currentTotp(demoTotpSecret(user.email), now)})`
        : 'no MFA';
      return `  ${user.email.padEnd(width)}  ${role.padEnd(15)} ${mfa}`;
    }),
  ];
}
