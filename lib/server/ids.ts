import 'server-only';
import { randomBytes } from 'node:crypto';

/** 96 random bits, URL-safe: short enough for URLs, unguessable enough for share links later. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}
