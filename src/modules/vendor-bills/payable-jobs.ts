import Type from 'typebox';
import { listStaffWithRole, type User } from '#modules/identity';
import { sendNotification } from '#modules/notifications';
import type { AppContext } from '#platform/app';
import { type Queryable, withTransaction } from '#platform/db';
import { defineJob, handleJob } from '#platform/jobs';
import { noticeDue, type PayableNotice, payableNotices } from './payable-terms.ts';
import { payablesContext, vendorInvoiceViews } from './payables.ts';
import { claimNotice, partnersWithUnpaidInvoices, sentNotices } from './payables-queries.ts';

export const payablesWarningsJob = defineJob({
  name: 'vendor-bills.payables-warnings',
  version: 1,
  payload: Type.Object({}),
});

/**
 * Who is warned about a partner's payables: its active Billing admins, or its Global admins when it
 * has none, so a warning never goes to nobody.
 */
async function payablesRecipients(db: Queryable, partnerId: string): Promise<User[]> {
  for (const role of ['billing_admin', 'global_admin']) {
    const people = await listStaffWithRole(db, partnerId, role);
    if (people.length > 0) return people;
  }
  return [];
}

const severity = (notice: PayableNotice) => payableNotices.indexOf(notice);

/**
 * Sends the partner's billing admins each notice its invoices call for today — due soon, overdue,
 * suspension risk — once per invoice and notice, never a milder one after a more severe one went out.
 * The notice is claimed and the mail written to the outbox in one transaction, so a re-run or a
 * redelivered job sends nothing twice. Returns how many notices went out.
 */
export async function sendPayablesWarnings(app: AppContext, partnerId: string): Promise<number> {
  const db = app.database.db;
  const now = app.clock.now();
  const context = await payablesContext(db, partnerId, now);
  const sent = await sentNotices(db, partnerId);
  const recipients = await payablesRecipients(db, partnerId);
  // Nobody to tell yet: the notices stay unclaimed, for when someone is.
  if (recipients.length === 0) return 0;
  const payablesUrl = `${app.config.publicUrl}/vendor-bills/payables`;
  let notices = 0;
  for (const view of await vendorInvoiceViews(db, context)) {
    const notice = noticeDue(view, context.today);
    if (notice === null || view.dueDate === null || view.suspensionDate === null) continue;
    const alreadyWorse = payableNotices.some(
      (other) => severity(other) >= severity(notice) && sent.has(`${view.id}:${other}`),
    );
    if (alreadyWorse) continue;
    const { dueDate, suspensionDate } = view;
    const claimed = await withTransaction(app.database, async (tx) => {
      if (!(await claimNotice(tx, partnerId, view.id, notice, now))) return false;
      for (const person of recipients) {
        await sendNotification(tx, app, {
          partnerId,
          template: 'vendor-invoice-due',
          to: { address: person.email, name: person.name, language: person.language },
          values: {
            notice,
            invoiceNumber: view.invoiceNumber,
            amount: view.outstanding,
            currency: view.currency,
            dueDate,
            daysOverdue: view.daysOverdue,
            suspensionDate,
            payablesUrl,
          },
        });
      }
      return true;
    });
    if (claimed) notices += 1;
  }
  return notices;
}

export const payableJobTypes = [payablesWarningsJob];

export const payableJobs = [
  handleJob(
    payablesWarningsJob,
    async (_payload, run, app) => {
      const partners = await partnersWithUnpaidInvoices(app.database.db);
      let notices = 0;
      for (const [index, partnerId] of partners.entries()) {
        notices += await sendPayablesWarnings(app, partnerId);
        await run.progress(index + 1, partners.length);
      }
      run.log.info({ partners: partners.length, notices }, 'payables warnings sent');
    },
    // Early morning in Europe, before the working day in the Americas; due dates move by whole days.
    { cron: '0 6 * * *', payload: {} },
  ),
];
