import 'server-only';
import { Prisma } from '../generated/prisma/client';
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

/*
 * SQL spellings for raw queries that read stored times or pack a group's values into a string
 * (the providers dashboard and its CSV, lib/server/ledger). Each gives the same values on both:
 * SQLite stores a DateTime as ISO text (offset included), PostgreSQL as timestamp(3) in UTC.
 */

/** Whole milliseconds between two DateTime columns of alias `v` (both hold whole milliseconds, so exact). */
export function msBetweenSql(later: string, earlier: string): Prisma.Sql {
  return dialect() === 'postgres'
    ? // EXTRACT(EPOCH FROM interval) is exact (numeric); BIGINT as SQLite's INTEGER is 64-bit.
      Prisma.raw(`CAST(ROUND(EXTRACT(EPOCH FROM v."${later}" - v."${earlier}") * 1000) AS BIGINT)`)
    : Prisma.raw(`CAST(ROUND((julianday(v."${later}") - julianday(v."${earlier}")) * 86400000) AS INTEGER)`);
}

/**
 * The group's non-null values as one string, joined by `sep` (a SQL expression; default ',').
 * Two of these in one SELECT list see the rows in the same order on both (each row is fed to
 * every aggregate of the group in turn; neither has an ORDER BY that would buffer and sort).
 */
export function packedSql(value: Prisma.Sql, sep?: Prisma.Sql): Prisma.Sql {
  if (dialect() === 'postgres') return Prisma.sql`string_agg(CAST(${value} AS TEXT), ${sep ?? Prisma.raw(`','`)})`;
  return sep ? Prisma.sql`group_concat(${value}, ${sep})` : Prisma.sql`group_concat(${value})`;
}

/** The ASCII unit separator (31) as a SQL expression: a join character no error code contains. */
export function unitSeparatorSql(): Prisma.Sql {
  return Prisma.raw(dialect() === 'postgres' ? 'chr(31)' : 'char(31)');
}

/** A DateTime column of alias `v` as its UTC day ('YYYY-MM-DD', 10) or hour ('YYYY-MM-DDTHH', 13). */
export function timePrefixSql(column: string, length: 10 | 13): Prisma.Sql {
  if (dialect() === 'postgres') return Prisma.raw(`to_char(v."${column}", '${length === 10 ? 'YYYY-MM-DD' : 'YYYY-MM-DD"T"HH24'}')`);
  return Prisma.raw(`substr(v."${column}", 1, ${length})`);
}

/**
 * SQLite's unary + on a column keeps its planner off an index for that term (there: on
 * Variation_ledger_idx instead of walking runs). PostgreSQL has no + on text and plans by cost.
 */
export function noIndexSql(column: Prisma.Sql): Prisma.Sql {
  return dialect() === 'postgres' ? column : Prisma.sql`+${column}`;
}
