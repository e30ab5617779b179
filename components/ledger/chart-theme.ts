/**
 * The chart colours, read from the theme's CSS variables (app/globals.css) at draw time: a
 * canvas cannot use `var()` or currentColor, so the charts read the computed values and draw
 * again when the theme changes (useThemeVersion).
 */
export type ChartTheme = {
  ink: string;
  muted: string;
  faint: string;
  line: string;
  accent: string;
  ok: string;
  danger: string;
  panel: string;
};

export function readChartTheme(el: Element): ChartTheme {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    ink: v('--ink', '#1c1c1a'),
    muted: v('--muted', '#5f5f5a'),
    faint: v('--faint', '#8c8c86'),
    line: v('--line', '#e2e2de'),
    accent: v('--accent', '#3b5bdb'),
    ok: v('--ok', '#2b8a3e'),
    danger: v('--danger', '#c92a2a'),
    panel: v('--panel', '#ffffff'),
  };
}

/** `#rrggbb` (or `#rgb`) with an alpha; any other colour is returned as it is. */
export function withAlpha(color: string, alpha: number): string {
  let hex = color.replace(/^#/, '');
  if (!/^[0-9a-f]{3}([0-9a-f]{3})?$/i.test(hex)) return color;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const n = Number.parseInt(hex, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
