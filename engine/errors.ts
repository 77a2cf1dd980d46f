/**
 * Errors the engine raises on purpose. Each carries a stable `code` and the HTTP status the
 * server maps it to, so `engine/` stays free of HTTP while the API answers precisely.
 */

export interface ErrorDetail {
  /** JSON pointer (for data) or element id (for models) the detail is about. */
  pointer: string;
  message: string;
  line?: number;
  column?: number;
  /**
   * A stable machine code for the detail (e.g. `no_completing_action`), so a client can say
   * it in the admin's words; `params` are the values that words need (node id, field, level).
   */
  code?: string;
  params?: Record<string, string | number>;
}

/** One reference token of a JSON pointer (RFC 6901): `~` and `/` escaped. */
export function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class LiuzhuanError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 422: input that cannot be accepted (bad model, bad data, no outgoing path). */
export class ValidationError extends LiuzhuanError {
  constructor(message: string, details?: ErrorDetail[], code = 'invalid_input') {
    super(code, message, 422, details);
  }
}

/** 404 */
export class NotFoundError extends LiuzhuanError {
  constructor(message: string, code = 'not_found') {
    super(code, message, 404);
  }
}

/** 409: the state changed under the caller (task already completed, concurrent command). */
export class ConflictError extends LiuzhuanError {
  constructor(message: string, code = 'conflict') {
    super(code, message, 409);
  }
}

/** 403 */
export class ForbiddenError extends LiuzhuanError {
  constructor(message: string, code = 'forbidden') {
    super(code, message, 403);
  }
}

/** 401 */
export class UnauthorizedError extends LiuzhuanError {
  constructor(message = 'Not logged in', code = 'unauthorized') {
    super(code, message, 401);
  }
}
