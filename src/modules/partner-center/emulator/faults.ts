import type { FastifyReply, FastifyRequest } from 'fastify';
import { PartnerCenterError } from './wire.ts';

/** A fault for the next `count` requests, optionally only those whose path starts with `path`. */
export interface CountedFault {
  count: number;
  path?: string;
}

export interface FaultConfig {
  /** 429 with Retry-After, as in the throttling guidance. */
  throttle?: CountedFault & { retryAfterSeconds?: number };
  /** Transient 503 Service Unavailable. */
  unavailable?: CountedFault;
  /** A 200 whose body is cut short: not valid JSON, or a truncated gzip blob. */
  malformed?: CountedFault;
  /** Every request waits this long before it is answered. */
  delayMs?: number;
}

function positiveInteger(value: unknown, name: string, allowZero = true): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new PartnerCenterError(
      400,
      '400',
      `${name} must be a whole number${allowZero ? '' : ' of at least 1'}.`,
    );
  }
  return value;
}

function countedFault(value: unknown, name: string): CountedFault | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw new PartnerCenterError(400, '400', `${name} must be an object.`);
  const { count, path } = value as Record<string, unknown>;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new PartnerCenterError(400, '400', `${name}.path must start with "/".`);
  }
  return { count: positiveInteger(count, `${name}.count`), ...(path === undefined ? {} : { path }) };
}

/** Checks a fault configuration from the admin endpoint or from `startEmulator`'s options. */
export function parseFaultConfig(body: unknown): FaultConfig {
  if (typeof body !== 'object' || body === null)
    throw new PartnerCenterError(400, '400', 'Faults must be an object.');
  const raw = body as Record<string, unknown>;
  const config: FaultConfig = {};
  const throttle = countedFault(raw.throttle, 'throttle');
  if (throttle) {
    const retryAfter = (raw.throttle as Record<string, unknown>).retryAfterSeconds;
    config.throttle = {
      ...throttle,
      ...(retryAfter === undefined
        ? {}
        : { retryAfterSeconds: positiveInteger(retryAfter, 'throttle.retryAfterSeconds') }),
    };
  }
  const unavailable = countedFault(raw.unavailable, 'unavailable');
  if (unavailable) config.unavailable = unavailable;
  const malformed = countedFault(raw.malformed, 'malformed');
  if (malformed) config.malformed = malformed;
  if (raw.delayMs !== undefined) config.delayMs = positiveInteger(raw.delayMs, 'delayMs');
  return config;
}

const malformedRequests = new WeakSet<FastifyRequest>();

/** Takes one use of a fault when it applies to this path. */
function take(fault: CountedFault | undefined, path: string): boolean {
  if (!fault || fault.count <= 0 || (fault.path !== undefined && !path.startsWith(fault.path))) return false;
  fault.count -= 1;
  return true;
}

/** Runs before routing and authentication, as a gateway's throttling does. */
export async function injectFaults(faults: FaultConfig, request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
  if (take(faults.throttle, path)) {
    const seconds = faults.throttle?.retryAfterSeconds ?? 1;
    return reply
      .code(429)
      .header('retry-after', String(seconds))
      .send({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });
  }
  if (take(faults.unavailable, path)) {
    return reply.code(503).send({
      code: '503',
      description: 'The service is temporarily unavailable.',
      data: [],
      source: 'PartnerFD',
    });
  }
  if (take(faults.malformed, path)) malformedRequests.add(request);
}

/**
 * Cuts a marked response's body in half: JSON that no longer parses, or a blob (a Buffer: gzip) whose
 * stream ends early, as a download cut off does.
 */
export async function malformBody(request: FastifyRequest, payload: unknown): Promise<unknown> {
  if (!malformedRequests.has(request)) return payload;
  if (Buffer.isBuffer(payload)) return payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)));
  const text = typeof payload === 'string' ? payload : '{"items":[';
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
