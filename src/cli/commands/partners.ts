import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { createPartner, listPartners, partnerKinds } from '#modules/partners';
import type { Caller } from '#platform/actor';
import { type AppContext, startApp } from '#platform/app';
import { loadConfig } from '#platform/config';
import { DomainError, invalid, isDomainError } from '#platform/errors';
import { modules, version } from '../../main.ts';

/** The command-line option that sets each field of `createPartner`'s input. */
const optionOfField: Record<string, string> = {
  slug: '--slug',
  kind: '--kind',
  legalName: '--legal-name',
  displayName: '--display-name',
  defaultLanguage: '--language',
  timeZone: '--time-zone',
  currency: '--currency',
  providers: '--provider',
};

interface CreateOptions {
  slug: string;
  kind: string;
  legalName: string;
  displayName?: string;
  language?: string;
  timeZone?: string;
  currency?: string;
  provider?: string[];
}

async function withApp<T>(work: (app: AppContext) => Promise<T>): Promise<T> {
  const config = { ...loadConfig(), runJobs: false, loadDemoData: false };
  const running = await startApp({ config, modules, version });
  try {
    return await work(running.app);
  } finally {
    await running.close();
  }
}

/** A service's error about a field, said in terms of the option that set it. */
function inOptionTerms(error: unknown): unknown {
  const field = isDomainError(error) ? error.location.field : undefined;
  const option = field === undefined ? undefined : optionOfField[field];
  if (!isDomainError(error) || option === undefined || field === undefined) return error;
  const message = error.message.startsWith(field)
    ? `${option}${error.message.slice(field.length)}`
    : `${option}: ${error.message}`;
  return new DomainError(error.kind, error.code, message, { field: option });
}

export function register(program: Command) {
  const partners = program
    .command('partners')
    .description('Partners of this installation')
    // Usage mistakes are bad input like any other: main turns the DomainError into exit status 2.
    .configureOutput({ outputError: () => {} })
    .exitOverride((error) => {
      if (error.exitCode === 0) process.exit(0);
      throw invalid('usage', error.message.replace(/^error: /, ''));
    });

  partners
    .command('create')
    .description('Create a partner; then create its first Global admin with `partnerdesk users create`')
    .requiredOption('--slug <slug>', 'short name used in sign-in links, such as contoso-hu')
    .addOption(
      new Option('--kind <kind>', 'how the partner sells').choices(partnerKinds).makeOptionMandatory(),
    )
    .requiredOption('--legal-name <name>', 'registered company name')
    .option('--display-name <name>', 'name shown to customers (default: the legal name)')
    .option('--language <locale>', 'default language: en, zh-Hans, zh-Hant, hu or ru')
    .option('--time-zone <zone>', 'IANA time zone, such as Europe/Budapest')
    .option('--currency <code>', 'ISO 4217 currency of its books, such as HUF')
    .option(
      '--provider <slug>',
      'an indirect provider this indirect reseller transacts through (repeat for several)',
      (slug: string, slugs: string[] | undefined) => [...(slugs ?? []), slug],
    )
    .action(async (options: CreateOptions) => {
      const caller: Caller = { actor: { kind: 'operator', name: userInfo().username } };
      const { partner, providers } = await withApp((app) =>
        createPartner(app, caller, {
          slug: options.slug,
          kind: options.kind,
          legalName: options.legalName,
          displayName: options.displayName,
          defaultLanguage: options.language,
          timeZone: options.timeZone,
          currency: options.currency,
          providers: options.provider,
        }),
      ).catch((error: unknown) => {
        throw inOptionTerms(error);
      });
      const through = providers.length > 0 ? ` through ${providers.map((p) => p.slug).join(', ')}` : '';
      process.stdout.write(
        `Partner ${partner.slug} created (${partner.kind}${through}), id ${partner.id}\n` +
          `Next: partnerdesk users create --partner ${partner.slug} --role global_admin …\n`,
      );
    });

  partners
    .command('list')
    .description('List the partners of this installation')
    .action(async () => {
      const rows = (await withApp((app) => listPartners(app.database.db))).map(({ partner, providers }) => [
        partner.slug,
        partner.kind,
        partner.defaultLanguage,
        partner.timeZone,
        partner.currency,
        providers.map((provider) => provider.slug).join(',') || '-',
        // Last, because CJK names are wider than their length and would push the columns after them.
        partner.displayName,
      ]);
      const table = [['SLUG', 'KIND', 'LANGUAGE', 'TIME ZONE', 'CURRENCY', 'PROVIDERS', 'NAME'], ...rows];
      const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
      for (const row of table) {
        process.stdout.write(
          `${row
            .map((cell, column) => cell.padEnd(widths[column]!))
            .join('  ')
            .trimEnd()}\n`,
        );
      }
    });
}
