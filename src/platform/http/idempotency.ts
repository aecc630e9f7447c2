import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorKey } from '#platform/actor';
import type { Database } from '#platform/db';
import { problem, sendProblem } from './problems.ts';
import { idempotencyKeys } from './schema.ts';

const LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A request still "running" after this long died with its process: a retry may take it over. */
const ABANDONED_MS = 10 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface Claim {
  actor: string;
  route: string;
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: Claim;
  }
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method}\n${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * Before the handler: a first request claims the key; a retry gets the stored response; a retry
 * while the first still runs gets 409; the same key with another body is refused.
 */
export async function claimIdempotencyKey(database: Database, request: FastifyRequest, reply: FastifyReply) {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    return sendProblem(
      reply,
      problem(
        request,
        400,
        'invalid-idempotency-key',
        'Idempotency-Key must be 1 to 255 visible ASCII characters',
        {
          field: 'Idempotency-Key',
        },
      ),
    );
  }
  const claim: Claim = {
    actor: actorKey(request.actor),
    route: `${request.method} ${request.url.split('?')[0]}`,
    key,
  };
  const hash = requestHash(request);
  const now = Date.now();
  const where = and(
    eq(idempotencyKeys.actor, claim.actor),
    eq(idempotencyKeys.route, claim.route),
    eq(idempotencyKeys.key, claim.key),
  );
  const db = database.db;
  // An expired or abandoned claim is as good as none.
  await db.delete(idempotencyKeys).where(and(where, lt(idempotencyKeys.expiresAt, new Date(now))));
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        where,
        eq(idempotencyKeys.state, 'running'),
        lt(idempotencyKeys.createdAt, new Date(now - ABANDONED_MS)),
      ),
    );
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...claim, requestHash: hash, state: 'running', expiresAt: new Date(now + LIFETIME_MS) })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 1) {
    request.idempotencyClaim = claim;
    return;
  }
  const [existing] = await db.select().from(idempotencyKeys).where(where);
  if (!existing) {
    return sendProblem(
      reply,
      problem(request, 409, 'idempotency-conflict', 'Another request with this key just finished; retry'),
    );
  }
  if (existing.requestHash !== hash) {
    return sendProblem(
      reply,
      problem(
        request,
        422,
        'idempotency-key-reused',
        'This Idempotency-Key was used for a different request',
        {
          field: 'Idempotency-Key',
        },
      ),
    );
  }
  if (existing.state === 'running') {
    return sendProblem(
      reply,
      problem(
        request,
        409,
        'idempotency-in-progress',
        'The first request with this Idempotency-Key is still running',
      ),
    );
  }
  if (existing.state === 'done_secret') {
    return sendProblem(
      reply,
      problem(
        request,
        409,
        'idempotency-not-replayable',
        'The request with this Idempotency-Key succeeded, but its response carried secrets and is never stored',
      ),
    );
  }
  return reply
    .code(existing.responseStatus ?? 200)
    .header('idempotent-replayed', 'true')
    .send(existing.responseBody ?? null);
}

/** After the handler: keep the response for retries, or release the key when the server failed. */
export async function settleIdempotencyKey(
  database: Database,
  request: FastifyRequest,
  statusCode: number,
  payload: unknown,
  secretResponse: boolean,
) {
  const claim = request.idempotencyClaim;
  if (!claim) return;
  request.idempotencyClaim = undefined;
  const where = and(
    eq(idempotencyKeys.actor, claim.actor),
    eq(idempotencyKeys.route, claim.route),
    eq(idempotencyKeys.key, claim.key),
  );
  if (statusCode >= 500) {
    await database.db.delete(idempotencyKeys).where(where);
    return;
  }
  if (secretResponse) {
    await database.db
      .update(idempotencyKeys)
      .set({ state: 'done_secret', responseStatus: statusCode })
      .where(where);
    return;
  }
  let body: unknown = null;
  if (typeof payload === 'string' && payload.length > 0) {
    try {
      body = JSON.parse(payload);
    } catch {
      body = payload;
    }
  }
  await database.db
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: statusCode, responseBody: body })
    .where(where);
}

/** Housekeeping: forget keys past their 24 hours. */
export async function purgeExpiredIdempotencyKeys(database: Database, now = new Date()): Promise<number> {
  const deleted = await database.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
