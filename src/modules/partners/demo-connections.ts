import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '#modules/audit';
import { emulatorCredentials } from '#modules/partner-center';
import { type Caller, systemActor } from '#platform/actor';
import type { AppContext } from '#platform/app';
import { scoped, type Tx, withTransaction } from '#platform/db';
import { type ConnectionCloud, seal } from './connections.ts';
import { partnerCenterConnections } from './connections-schema.ts';

/** A partner's connection to one of the local emulator's seeded partner tenants (`key` in its seed). */
export interface EmulatorConnection {
  partnerId: string;
  cloud: ConnectionCloud;
  emulatorPartner: string;
}

const demoCaller: Caller = { actor: systemActor('demo') };

/** The emulator's address on this machine, as stored (a URL's `href`). */
function localEmulatorUrl(port: number): string {
  return new URL(`http://127.0.0.1:${port}`).href;
}

function isLocalEmulator(address: string | null): boolean {
  return address !== null && URL.canParse(address) && new URL(address).hostname === '127.0.0.1';
}

/**
 * Writes the connections with the emulator's seeded credentials — the same seed always gives the
 * same ones, so no emulator needs to run — pointing at `EMULATOR_PORT` on 127.0.0.1; `serve` points
 * them at the emulator it actually starts. Secrets are sealed as `saveConnection` seals them.
 */
export async function insertEmulatorConnections(
  app: AppContext,
  tx: Tx,
  connections: readonly EmulatorConnection[],
): Promise<void> {
  const credentials = emulatorCredentials();
  const url = localEmulatorUrl(app.config.emulatorPort);
  const now = app.clock.now();
  for (const { partnerId, cloud, emulatorPartner } of connections) {
    const seeded = credentials.find((candidate) => candidate.key === emulatorPartner);
    if (!seeded) throw new Error(`The emulator's seed has no partner "${emulatorPartner}"`);
    const key = { partnerId, id: randomUUID() };
    await tx.insert(partnerCenterConnections).values({
      ...key,
      cloud,
      tenantId: seeded.tenantId,
      clientId: seeded.clientId,
      clientSecret: seal(app, key, 'client_secret', seeded.clientSecret),
      refreshToken: seal(app, key, 'refresh_token', seeded.refreshToken),
      refreshTokenIssuedAt: now,
      baseUrl: url,
      authority: url,
      createdAt: now,
      updatedAt: now,
    });
  }
}

/**
 * Points the partners' connections that go to a local emulator (127.0.0.1, any port) at `url`, the
 * emulator running now; returns how many there are. Its port may change between runs, its state does
 * not: the status of the last check stays. Each change is audited.
 */
export async function pointConnectionsAtEmulator(
  app: AppContext,
  partnerIds: readonly string[],
  url: string,
): Promise<number> {
  const target = new URL(url).href;
  const now = app.clock.now();
  return withTransaction(app.database, async (tx) => {
    let local = 0;
    for (const partnerId of partnerIds) {
      const rows = await tx
        .select()
        .from(partnerCenterConnections)
        .where(scoped(partnerCenterConnections, { partnerId }))
        .for('update');
      for (const row of rows.filter((candidate) => isLocalEmulator(candidate.baseUrl))) {
        local += 1;
        if (row.baseUrl === target && row.authority === target) continue;
        await tx
          .update(partnerCenterConnections)
          .set({ baseUrl: target, authority: target, updatedAt: now })
          .where(
            and(eq(partnerCenterConnections.partnerId, partnerId), eq(partnerCenterConnections.id, row.id)),
          );
        await recordAudit(tx, demoCaller, {
          partnerId,
          action: 'connection.updated',
          target: { type: 'connection', id: row.id },
          before: { baseUrl: row.baseUrl, authority: row.authority },
          after: { baseUrl: target, authority: target },
        });
      }
    }
    return local;
  });
}
