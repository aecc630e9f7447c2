import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chargeTypeOf, creditTypeOf, isReservationOf, serviceFamilyOf } from './classify.ts';

const words = (productName: string, subscriptionDescription: string | null = null) => ({
  productName,
  skuName: null,
  subscriptionDescription,
  meterCategory: null,
});

describe('classifying lines', () => {
  it('service family from product, offering and meter words', () => {
    for (const [product, description, family] of [
      ['Blob Storage', 'Azure plan', 'azure'],
      ['Reserved VM Instance, Standard_D2s_v3, US East, 1 Year', null, 'azure'],
      ['Azure savings plan for compute', null, 'azure'],
      ['Dynamics 365 Sales Professional', null, 'd365'],
      ['Power Apps per user plan', null, 'd365'],
      ['Microsoft 365 Business Premium', null, 'm365'],
      ['OFFICE 365 E3', null, 'm365'],
      ['EXCHANGE ONLINE (PLAN 2)', null, 'm365'],
      ['Microsoft Teams Essentials', null, 'm365'],
      ['Windows 365 Enterprise 2 vCPU', null, 'm365'],
      ['Power BI Premium Per User', null, 'm365'],
      ['VM-Series Next Generation Firewall', null, 'other'],
    ] as const) {
      assert.equal(serviceFamilyOf('billed_recon', words(product, description)), family, product);
    }
    assert.equal(serviceFamilyOf('daily_usage', words('VM-Series Next Generation Firewall')), 'azure');
    assert.equal(serviceFamilyOf('legacy_usage', words('Anything')), 'azure');
    assert.equal(
      serviceFamilyOf('billed_recon', { ...words('Virtual Machines'), meterCategory: 'Virtual Machines' }),
      'azure',
    );
  });

  it('charge types in their documented spelling, whatever the casing; v1 mappings; others as written', () => {
    assert.equal(chargeTypeOf('New'), 'new');
    assert.equal(chargeTypeOf('CYCLECHARGE'), 'cycleCharge');
    assert.equal(chargeTypeOf('Purchase'), 'new');
    assert.equal(chargeTypeOf('Refund'), 'cancel');
    assert.equal(chargeTypeOf('cycle FEE'), 'Cycle fee');
    assert.equal(chargeTypeOf('Something new'), 'Something new');
  });

  it('Azure credits from the credit columns and charge types', () => {
    assert.equal(
      creditTypeOf({ chargeType: 'new', creditType: 'Azure Credit Applied' }),
      'Azure Credit Applied',
    );
    assert.equal(creditTypeOf({ chargeType: 'new', creditType: 'Credit Not Applied' }), null);
    assert.equal(
      creditTypeOf({ chargeType: 'customerCredit', creditReasonCode: 'Azure Credit Offer' }),
      'Azure Credit Offer',
    );
    assert.equal(creditTypeOf({ chargeType: 'customerCredit' }), 'customerCredit');
    assert.equal(creditTypeOf({ chargeType: 'Offset a line item' }), 'Offset a line item');
    assert.equal(creditTypeOf({ chargeType: 'new' }), null);
  });

  it('reservations, but not savings plans', () => {
    assert.equal(isReservationOf({ names: ['Reserved VM Instance, Standard_D2s_v3', null] }), true);
    assert.equal(isReservationOf({ names: ['Virtual Machines', 'One-Year Reservation'] }), true);
    assert.equal(isReservationOf({ names: [], benefitType: 'Reservation' }), true);
    assert.equal(isReservationOf({ names: [], additionalInfo: '{"ReservationOrderId": "abc"}' }), true);
    assert.equal(isReservationOf({ names: ['Azure savings plan'], benefitType: 'SavingsPlan' }), false);
    assert.equal(isReservationOf({ names: ['Blob Storage', 'Hot LRS'] }), false);
  });
});
