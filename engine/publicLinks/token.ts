/**
 * Link tokens: 32 bytes from the OS's cryptographic generator (256 bits, far beyond guessing
 * at any request rate), base64url so they sit in a path as is. The public URL is `/p/<token>`.
 */
import { randomBytes } from 'node:crypto';

export const TOKEN_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function linkPath(token: string): string {
  return `/p/${token}`;
}
