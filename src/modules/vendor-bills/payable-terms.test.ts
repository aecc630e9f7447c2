import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueDateOf, noticeDue, type PayableFacts, payableState, suspensionDateOf } from './payable-terms.ts';

const invoice: PayableFacts = {
  documentType: 'invoice',
  invoiceDate: '2026-01-08',
  termsDays: 60,
  total: '1200.00',
  billedLinesTotal: '1200.00',
  paidAt: null,
  paidAmount: null,
};

describe('vendor-bills › payable terms', () => {
  it('due date › net 60 from the invoice date, across February and a leap year', () => {
    assert.equal(dueDateOf('2026-01-08', 60), '2026-03-09');
    assert.equal(dueDateOf('2028-01-08', 60), '2028-03-08');
    assert.equal(dueDateOf('2026-11-08', 30), '2026-12-08');
  });

  it('suspension › "more than 60 days overdue" is the 61st day after the due date', () => {
    assert.equal(suspensionDateOf('2026-03-09'), '2026-05-09');
    assert.equal(payableState(invoice, '2026-05-08', 7).daysOverdue, 60);
    assert.equal(payableState(invoice, '2026-05-09', 7).daysOverdue, 61);
  });

  it('status › open, due soon from N days before through the due date, overdue the day after', () => {
    const on = (today: string, warn = 7) => payableState(invoice, today, warn).status;
    assert.equal(on('2026-03-01'), 'open');
    assert.equal(on('2026-03-02'), 'due_soon');
    assert.equal(on('2026-03-09'), 'due_soon');
    assert.equal(on('2026-03-10'), 'overdue');
    assert.equal(on('2026-03-01', 8), 'due_soon');
    assert.equal(on('2026-03-09', 0), 'due_soon');
    assert.equal(on('2026-03-08', 0), 'open');
  });

  it('payment › a recorded date settles it; an amount settles only what it covers', () => {
    const paid = payableState({ ...invoice, paidAt: '2026-03-01' }, '2026-04-01', 7);
    assert.deepEqual([paid.status, paid.suspensionDate, paid.outstanding?.toFixed()], ['paid', null, '0']);
    const partly = payableState({ ...invoice, paidAmount: '200.00' }, '2026-04-01', 7);
    assert.equal(partly.status, 'overdue');
    assert.equal(partly.outstanding?.toFixed(2), '1000.00');
    const covered = payableState({ ...invoice, paidAmount: '1200.0' }, '2026-04-01', 7);
    assert.equal(covered.status, 'paid');
  });

  it('amount › Microsoft’s total first, else the billed lines, else unknown', () => {
    assert.equal(
      payableState({ ...invoice, total: null }, '2026-01-10', 7).outstanding?.toFixed(2),
      '1200.00',
    );
    const unknown = payableState({ ...invoice, total: null, billedLinesTotal: null }, '2026-01-10', 7);
    assert.deepEqual([unknown.status, unknown.outstanding], ['open', null]);
  });

  it('credit note › never due, never a notice', () => {
    const credit = payableState(
      { ...invoice, documentType: 'credit_note', total: '-50.00' },
      '2027-01-01',
      7,
    );
    assert.deepEqual(credit, {
      dueDate: null,
      status: 'paid',
      daysOverdue: 0,
      suspensionDate: null,
      outstanding: null,
    });
    assert.equal(noticeDue(credit, '2027-01-01'), null);
  });

  it('notice › the most severe that applies: suspension risk within 14 days outranks overdue', () => {
    const on = (today: string) => noticeDue(payableState(invoice, today, 7), today);
    assert.equal(on('2026-02-20'), null);
    assert.equal(on('2026-03-05'), 'due_soon');
    assert.equal(on('2026-03-10'), 'overdue');
    assert.equal(on('2026-04-24'), 'overdue');
    assert.equal(on('2026-04-25'), 'suspension_risk');
    assert.equal(on('2026-06-01'), 'suspension_risk');
  });
});
