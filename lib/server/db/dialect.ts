import 'server-only';
import { databaseConfig } from './client';

/**
 * The few places where SQLite and PostgreSQL differ in what the services rely on, in one place.
 * Raw SQL in the app is written in the SQL both accept (double-quoted identifiers, Date
 * parameters, subqueries with an alias, count(*) read through Number()); what cannot be is
 * switched here.
 */
export type Dialect = 'sqlite' | 'postgres';

export function dialect(): Dialect {
  return databaseConfig().kind;
}

/**
 * A substring filter that ignores case the way SQLite's LIKE does (ASCII letters), on both.
 * Postgres's LIKE is case-sensitive; `mode: 'insensitive'` (ILIKE) exists only in its client,
 * hence the cast: the SQLite client's types do not know the key.
 */
export function containsText(q: string): { contains: string } {
  return dialect() === 'postgres' ? ({ contains: q, mode: 'insensitive' } as { contains: string }) : { contains: q };
}
