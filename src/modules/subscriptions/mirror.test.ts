import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindOf, serviceFamilyOf } from './mirror.ts';

describe('subscriptions › mirror', () => {
  it('kind › from the offer id’s documented shapes', () => {
    assert.equal(kindOf('CFQ7TTC0LH18:0001:CFQ7TTC0K971'), 'new_commerce');
    assert.equal(kindOf('CFQ7TTC0LH18:0001'), 'new_commerce');
    assert.equal(kindOf('DZH318Z0BPS6:0001'), 'azure_plan');
    assert.equal(kindOf('dzh318z0bps6'), 'azure_plan');
    assert.equal(kindOf('796B6B5F-613C-4E24-A17C-EBA730D49C02'), 'legacy');
    assert.equal(kindOf('MS-AZR-0145P'), 'legacy');
  });

  it('service family › from the offer id or the offer’s name', () => {
    assert.equal(serviceFamilyOf('DZH318Z0BPS6:0001', 'Azure plan'), 'azure');
    assert.equal(serviceFamilyOf('MS-AZR-0145P', 'Pay-As-You-Go'), 'azure');
    assert.equal(serviceFamilyOf('X:0001', 'Dynamics 365 Sales Professional'), 'd365');
    assert.equal(serviceFamilyOf('X:0001', 'Microsoft 365 Business Basic'), 'm365');
    assert.equal(serviceFamilyOf('X:0001', 'Office 365 E1'), 'm365');
    assert.equal(serviceFamilyOf('X:0001', 'Exchange Online (Plan 1)'), 'm365');
    assert.equal(serviceFamilyOf('X:0001', 'Microsoft Teams Essentials'), 'm365');
    assert.equal(serviceFamilyOf('X:0001', 'Adobe Acrobat Pro'), 'other');
  });
});
