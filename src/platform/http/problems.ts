import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '#platform/errors';

/** RFC 9457 problem details, with the offending field or file line when there is one. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  field?: string;
  file?: string;
  line?: number;
  column?: string;
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

export function problem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extra: Partial<Problem> = {},
): Problem {
  return {
    type: `/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    instance: request.url,
    requestId: String(request.id),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem) {
  return reply.code(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}

/** Turns any error into a problem: ours keep their code, validation names the field, the rest is 500. */
export function problemOf(error: unknown, request: FastifyRequest): Problem {
  if (isDomainError(error)) {
    return problem(request, error.status, error.code, error.message, error.location);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    const [first] = fastifyError.validation;
    const path = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = [fastifyError.validationContext, path, missing].filter(Boolean).join('.');
    const what = missing ? 'is required' : (first?.message ?? 'is invalid');
    return problem(request, 400, 'invalid-request', `${field || 'request'} ${what}`, { field });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = (fastifyError.code ?? 'bad-request')
      .replace(/^FST_ERR_/, '')
      .toLowerCase()
      .replaceAll('_', '-');
    return problem(request, status, code, fastifyError.message);
  }
  return problem(
    request,
    500,
    'internal',
    'Something went wrong on our side; the request id helps us find it.',
  );
}
