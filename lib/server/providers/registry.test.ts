import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '@/lib/providers/target-kit';
import { env } from '../env';
import { concurrencyFor, configuredProviders, getAdapter, targetConcurrencyFor } from './registry';

describe('provider registry', () => {
  it('has one line per provider id, each building the adapter of that id', () => {
    for (const id of PROVIDER_IDS) expect(getAdapter(id)?.id).toBe(id);
    expect(Object.keys(configuredProviders()).sort()).toEqual([...PROVIDER_IDS].sort());
    expect(configuredProviders().offline).toBe(true);
  });

  it('keeps each vendor’s concurrency: documented limits for WaveSpeed and DashScope, the worker’s for the engine', () => {
    expect(concurrencyFor('offline')).toBe(Math.max(1, env().WORKER_CONCURRENCY));
    expect(concurrencyFor('wavespeed')).toBe(2);
    expect(concurrencyFor('dashscope')).toBe(2);
    for (const id of PROVIDER_IDS.filter((p) => !['offline', 'wavespeed', 'dashscope'].includes(p))) expect(concurrencyFor(id)).toBe(4);
    expect(targetConcurrencyFor('fal')).toBe(Math.min(4, env().WORKER_TARGET_CONCURRENCY));
  });
});
