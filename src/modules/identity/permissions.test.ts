import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  customerRoles,
  permissionMatrixMarkdown,
  permissions,
  permissionsOf,
  rolePermissions,
  staffRoles,
} from './permissions.ts';

describe('permission matrix', () => {
  it('the README › shows exactly the matrix the code enforces', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const shown = readme
      .split('<!-- permission-matrix:start -->')[1]
      ?.split('<!-- permission-matrix:end -->')[0]
      ?.trim();
    assert.equal(shown, permissionMatrixMarkdown(), 'paste permissionMatrixMarkdown() into the README');
  });

  it('roles › customer roles hold only portal permissions and staff roles none', () => {
    for (const role of customerRoles)
      assert.ok(
        rolePermissions[role].every((p) => p.startsWith('portal.')),
        role,
      );
    for (const role of staffRoles)
      assert.ok(
        rolePermissions[role].every((p) => !p.startsWith('portal.')),
        role,
      );
  });

  it('every permission › is held by some role, and no role lists one twice', () => {
    const held = new Set(Object.values(rolePermissions).flat());
    assert.deepEqual(
      Object.keys(permissions).filter((permission) => !held.has(permission as never)),
      [],
    );
    for (const [role, list] of Object.entries(rolePermissions))
      assert.equal(new Set(list).size, list.length, role);
  });

  it('the web › has a label for every permission in every language (the token dialog lists them)', () => {
    for (const locale of ['en', 'zh-Hans', 'zh-Hant', 'hu', 'ru']) {
      const labels = JSON.parse(
        readFileSync(new URL(`../../../locales/${locale}/identity.json`, import.meta.url), 'utf8'),
      );
      const missing = Object.keys(permissions).filter(
        (permission) => !(`identity.permission.${permission}` in labels),
      );
      assert.deepEqual(missing, [], locale);
    }
  });

  it('DESIGN.md rows › a few cells that must never drift', () => {
    assert.equal(permissionsOf(['sales_agent']).has('costs.manage'), false, 'sales agents never see cost');
    assert.equal(
      permissionsOf(['helpdesk_agent']).has('invoices.manage'),
      false,
      'helpdesk reads prices only',
    );
    assert.equal(permissionsOf(['user_admin']).has('partner.manage'), false);
    assert.equal(permissionsOf(['customer_user']).has('portal.payments.read'), false);
    assert.equal(permissionsOf(['customer_admin']).has('portal.payments.read'), true);
    assert.equal(permissionsOf(['billing_admin']).has('tickets.manage'), false, 'billing tickets only');
  });
});
