/**
 * Multi-selection for the culling grid, by id so it survives items loading, moving and being
 * rejected. The anchor is the last plainly or Ctrl-clicked item; Shift extends from it. Pure.
 */
export type GridSelection = { ids: ReadonlySet<string>; anchor: string | null };
export type ClickMods = { toggle: boolean; range: boolean };

export const EMPTY_SELECTION: GridSelection = { ids: new Set(), anchor: null };

/** Every id from `a` to `b` inclusive, in list order whichever way round they are given. */
export function rangeBetween(order: readonly string[], a: string, b: string): string[] {
  const i = order.indexOf(a);
  const j = order.indexOf(b);
  if (i < 0 || j < 0) return j < 0 ? [] : [b];
  return order.slice(Math.min(i, j), Math.max(i, j) + 1);
}

/**
 * Click: select only this one. Ctrl/Cmd-click: toggle it. Shift-click: the range from the
 * anchor (added to the selection with Ctrl/Cmd as well, replacing it otherwise); the anchor
 * stays put so a second Shift-click adjusts the same range.
 */
export function clickSelect(sel: GridSelection, order: readonly string[], id: string, mods: ClickMods): GridSelection {
  if (mods.range && sel.anchor !== null && order.includes(sel.anchor)) {
    const range = rangeBetween(order, sel.anchor, id);
    return { ids: new Set(mods.toggle ? [...sel.ids, ...range] : range), anchor: sel.anchor };
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  return { ids: new Set([id]), anchor: id };
}

/** Shift+arrow: the range from the anchor (or from where the focus was) to the new focus. */
export function extendTo(sel: GridSelection, order: readonly string[], from: string, to: string): GridSelection {
  const anchor = sel.anchor !== null && order.includes(sel.anchor) ? sel.anchor : from;
  return { ids: new Set(rangeBetween(order, anchor, to)), anchor };
}

export function selectAll(order: readonly string[]): GridSelection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Drops ids no longer loaded (rejected, deleted elsewhere); same object when nothing changed. */
export function pruneSelection(sel: GridSelection, alive: ReadonlySet<string>): GridSelection {
  const ids = [...sel.ids].filter((id) => alive.has(id));
  const anchor = sel.anchor !== null && alive.has(sel.anchor) ? sel.anchor : null;
  if (ids.length === sel.ids.size && anchor === sel.anchor) return sel;
  return { ids: new Set(ids), anchor };
}
