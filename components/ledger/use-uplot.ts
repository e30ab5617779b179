'use client';

import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { type ChartTheme, readChartTheme } from './chart-theme';

/** Bumps when the `dark` class on <html> changes, so canvas charts redraw in the new colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme'] });
    return () => observer.disconnect();
  }, []);
  return version;
}

/**
 * Mounts a uPlot chart in the returned element, sized to its width, drawn in the theme's
 * colours. uPlot is loaded in the browser only (it needs a canvas); the chart is rebuilt
 * when its data or the theme changes and resized when its box does.
 */
export function useUplot(
  build: (theme: ChartTheme, width: number) => { options: Omit<uPlot.Options, 'width'>; data: uPlot.AlignedData },
  deps: unknown[],
) {
  const ref = useRef<HTMLDivElement>(null);
  const themeVersion = useThemeVersion();
  const buildRef = useRef(build);
  buildRef.current = build;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt on the caller's data and the theme only
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let chart: uPlot | undefined;
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const width = Math.max(200, el.clientWidth);
      const { options, data } = buildRef.current(readChartTheme(el), width);
      chart = new UPlot({ ...options, width }, data, el);
      observer = new ResizeObserver(() => {
        const w = Math.max(200, el.clientWidth);
        if (chart && Math.abs(chart.width - w) > 1) chart.setSize({ width: w, height: chart.height });
      });
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart?.destroy();
    };
  }, [themeVersion, ...deps]);
  return ref;
}
