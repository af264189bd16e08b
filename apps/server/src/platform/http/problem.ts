import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, PlatformErrors, errorSpec } from '../errors.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  instance: string;
  errors?: Array<{ path: string; message: string }>;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/** Sends an RFC 9457 problem+json answer. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: string,
  detail: string,
  extra: Partial<ProblemBody> = {},
  statusOverride?: number,
): FastifyReply {
  const spec = errorSpec(code);
  const status = statusOverride ?? spec.status;
  // An error's details add to the problem; they never replace its own members (a detail named
  // "status" once set the HTTP status to "lost", and the answer became a 500).
  const body: ProblemBody = {
    ...extra,
    type: `/api/docs#error-${code}`,
    title: spec.title,
    status,
    detail,
    code,
    requestId: String(request.id),
    instance: request.url.split('?')[0] ?? request.url,
  };
  if (body.retryAfterSeconds) reply.header('retry-after', String(body.retryAfterSeconds));
  return reply.status(status).type('application/problem+json').send(body);
}

function fastifyCodeToProblem(error: FastifyError): { code: string; detail: string } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: PlatformErrors.MALFORMED_JSON, detail: `The request body is not valid JSON: ${error.message}` };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        code: PlatformErrors.MALFORMED_JSON,
        detail: 'The request says it carries JSON, but the body is empty.',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: PlatformErrors.PAYLOAD_TOO_LARGE, detail: 'The request body is larger than this server accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: PlatformErrors.UNSUPPORTED_MEDIA_TYPE, detail: `Unsupported content type: ${error.message}` };
    default:
      if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
        return { code: PlatformErrors.MALFORMED_JSON, detail: `The request body is not valid JSON: ${error.message}` };
      }
      return null;
  }
}

/** Installs the one error handler: every failure leaves as problem+json with a stable code. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return sendProblem(request, reply, error.code, error.message, error.details ?? {});
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const errors = error.validation.map((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
        const unknownKeys = (issue.params as { issue?: { keys?: string[] } } | undefined)?.issue?.keys;
        const message = unknownKeys?.length ? `unknown field(s): ${unknownKeys.join(', ')}` : issue.message;
        return { path: `${where}${path === '(root)' ? '' : `.${path}`}`, message: message ?? 'is invalid' };
      });
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return sendProblem(request, reply, PlatformErrors.VALIDATION_FAILED, detail, { errors });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return sendProblem(request, reply, PlatformErrors.INTERNAL, 'The server produced an invalid response.');
    }
    const mapped = fastifyCodeToProblem(error);
    if (mapped) return sendProblem(request, reply, mapped.code, mapped.detail);
    if (error.statusCode === 429) {
      return sendProblem(request, reply, PlatformErrors.RATE_LIMITED, error.message);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // A plugin's own 4xx (a static file's 403, 412 or 416) keeps its status.
      return sendProblem(request, reply, PlatformErrors.VALIDATION_FAILED, error.message, {}, error.statusCode);
    }
    const databaseDown =
      /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect/i.test(
        error.message,
      );
    request.log.error({ err: error }, 'request failed');
    return databaseDown
      ? sendProblem(
          request,
          reply,
          PlatformErrors.DATABASE_UNAVAILABLE,
          'The database cannot be reached; try again shortly.',
        )
      : sendProblem(
          request,
          reply,
          PlatformErrors.INTERNAL,
          'Something went wrong on our side; the request id helps us find it.',
        );
  });
}
