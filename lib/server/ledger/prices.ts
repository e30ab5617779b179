import 'server-only';
import { CATALOG, findTarget, type CatalogTarget } from '@/lib/providers/catalog';
import { PRICE_UNITS, type PriceRow, type PriceUnit, type SetPriceInput } from '@/lib/schemas/ledger';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { newId } from '../ids';

/**
 * The price table. Decision: the catalog's list price is the implicit oldest row of every
 * target (in effect since the epoch), not a seeded database row. Seeding on first read would
 * race between processes and freeze an old catalog figure once the code's catalog is
 * corrected; an implicit row cannot go stale. Owner edits are appended as PriceEntry rows
 * (never updated or deleted), so "the price in effect at time T" is always answerable and a
 * past variation's stored cost never depends on a later edit.
 *
 * Prices are per install, not per workspace: a vendor's price is the same for every workspace.
 */

/** When the catalog's list prices were last read from the vendors' pages (lib/providers/targets/*). */
export const CATALOG_PRICE_DATE = '2026-12-01';
const EPOCH = new Date(0);

export type Price = { unit: PriceUnit; amountUsd: number; source: string; effectiveAt: Date; fromCatalog: boolean };

/** The catalog's list price as a price row, or null where the vendor publishes none. */
export function catalogPrice(target: CatalogTarget): Price | null {
  const amount = target.capabilities.pricePerImageUsd;
  if (amount === null) return null;
  return {
    unit: 'image',
    amountUsd: amount,
    source: `${target.capabilities.priceNote} (catalog list price, ${CATALOG_PRICE_DATE})`,
    effectiveAt: EPOCH,
    fromCatalog: true,
  };
}

function asUnit(unit: string): PriceUnit {
  return (PRICE_UNITS as readonly string[]).includes(unit) ? (unit as PriceUnit) : 'image';
}

/** The price of each target in effect at `at` (default now): the newest edit at or before it, else the catalog's. */
export async function pricesAt(targetIds: readonly string[], at: Date = new Date()): Promise<Map<string, Price | null>> {
  const ids = [...new Set(targetIds)];
  const rows = await db().priceEntry.findMany({
    where: { targetId: { in: ids }, effectiveAt: { lte: at } },
    orderBy: [{ effectiveAt: 'desc' }, { id: 'desc' }],
  });
  const out = new Map<string, Price | null>();
  for (const id of ids) {
    const edit = rows.find((r) => r.targetId === id);
    const target = findTarget(id);
    out.set(
      id,
      edit
        ? { unit: asUnit(edit.unit), amountUsd: edit.amountUsd, source: edit.source, effectiveAt: edit.effectiveAt, fromCatalog: false }
        : target
          ? catalogPrice(target)
          : null,
    );
  }
  return out;
}

function toRow(targetId: string, p: Price, id: string | null): PriceRow {
  return {
    id,
    targetId,
    unit: p.unit,
    amountUsd: p.amountUsd,
    source: p.source,
    effectiveAt: p.effectiveAt.toISOString(),
    fromCatalog: p.fromCatalog,
  };
}

/** Every price a target has had, newest first, ending with the catalog's list price. */
export async function priceHistory(_ctx: Ctx, input: { targetId: string }): Promise<PriceRow[]> {
  const target = findTarget(input.targetId);
  if (!target) throw new AppError('not_found', `Unknown target “${input.targetId}”.`);
  const rows = await db().priceEntry.findMany({ where: { targetId: target.id }, orderBy: [{ effectiveAt: 'desc' }, { id: 'desc' }] });
  const history = rows.map((r) =>
    toRow(
      r.targetId,
      { unit: asUnit(r.unit), amountUsd: r.amountUsd, source: r.source, effectiveAt: r.effectiveAt, fromCatalog: false },
      r.id,
    ),
  );
  const seed = catalogPrice(target);
  if (seed) history.push(toRow(target.id, seed, null));
  return history;
}

/** The current price of every catalog target (null: unknown), for the settings table. */
export async function currentPriceTable(_ctx: Ctx): Promise<Record<string, PriceRow | null>> {
  const prices = await pricesAt(CATALOG.map((t) => t.id));
  return Object.fromEntries(CATALOG.map((t) => [t.id, prices.get(t.id) ? toRow(t.id, prices.get(t.id)!, null) : null]));
}

/** The owner's edit: a new row in effect from now; older rows and past costs stay as they were. */
export async function setPrice(ctx: Ctx, input: SetPriceInput, now: Date = new Date()): Promise<PriceRow> {
  if (ctx.actor.kind !== 'owner') throw new AppError('forbidden', 'Only the owner can change prices.');
  const target = findTarget(input.targetId);
  if (!target) throw new AppError('not_found', `Unknown target “${input.targetId}”.`);
  const row = await db().priceEntry.create({
    data: { id: newId(), targetId: target.id, unit: input.unit, amountUsd: input.amountUsd, source: 'edited', effectiveAt: now },
  });
  return toRow(
    row.targetId,
    { unit: input.unit, amountUsd: row.amountUsd, source: row.source, effectiveAt: row.effectiveAt, fromCatalog: false },
    row.id,
  );
}

/**
 * Catalog targets with the price in effect now in place of the list price, so the target picker
 * says what the estimate will use. A per-megapixel or per-second price has no per-image figure.
 */
export async function withCurrentPrices(targets: readonly CatalogTarget[]): Promise<CatalogTarget[]> {
  const prices = await pricesAt(targets.map((t) => t.id));
  return targets.map((t) => {
    const p = prices.get(t.id);
    if (!p || p.fromCatalog) return t;
    const perImage = p.unit === 'image' ? p.amountUsd : null;
    const note = `Edited ${p.effectiveAt.toISOString().slice(0, 10)}: $${p.amountUsd} per ${p.unit}.`;
    return { ...t, capabilities: { ...t.capabilities, pricePerImageUsd: perImage, priceNote: note } };
  });
}
