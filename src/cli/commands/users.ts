import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { getCustomer } from '#modules/customers';
import { inviteUser, type Role } from '#modules/identity';
import { getPartnerBySlug } from '#modules/partners';
import type { Caller } from '#platform/actor';
import { withApp } from '../with-app.ts';

interface CreateOptions {
  partner: string;
  customer?: string;
  role: string[];
  email: string;
  name: string;
  language?: string;
}

export function register(program: Command) {
  const users = program.command('users').description('People who sign in');
  users
    .command('create')
    .description(
      'Invite a person (e.g. a partner’s first Global admin) and print the link that sets their password',
    )
    .requiredOption('--partner <slug>', 'the partner they belong to')
    .option('--customer <id>', 'for a customer user: the customer id')
    .requiredOption(
      '--role <role...>',
      'global_admin, user_admin, helpdesk_agent, billing_admin, sales_agent; or customer_admin, customer_user',
    )
    .requiredOption('--email <address>', 'their e-mail address (unique in the installation)')
    .requiredOption('--name <name>', 'their name')
    .option(
      '--language <locale>',
      'en, zh-Hans, zh-Hant, hu or ru (default: the browser’s, then the partner’s)',
    )
    .action(async (options: CreateOptions) => {
      await withApp(async (app) => {
        const partner = await getPartnerBySlug(app.database.db, options.partner);
        if (options.customer) await getCustomer(app.database.db, { partnerId: partner.id }, options.customer);
        const caller: Caller = { actor: { kind: 'operator', name: userInfo().username } };
        const { user, acceptUrl } = await inviteUser(
          app,
          caller,
          partner.id,
          options.customer ?? null,
          {
            email: options.email,
            name: options.name,
            roles: options.role as Role[],
            language: options.language,
          },
          'partnerdesk',
        );
        process.stdout.write(
          `Invited ${user.email} to ${partner.displayName} as ${user.roles.join(', ')}.\n` +
            `The invitation mail is in the outbox; the link to set a password (valid 7 days):\n  ${acceptUrl}\n`,
        );
      });
    });
}
