import { describe, expect, it } from 'vitest';
import { countCodes, nearestRank, parseDurations, percentile, percentiles, successRate } from './stats-math';

describe('nearest-rank percentiles', () => {
  it('picks ranks ceil(p/100 × n)', () => {
    expect(nearestRank(100, 50)).toBe(50);
    expect(nearestRank(100, 95)).toBe(95);
    expect(nearestRank(100, 99)).toBe(99);
    expect(nearestRank(101, 50)).toBe(51);
    expect(nearestRank(20, 95)).toBe(19);
    expect(nearestRank(3, 99)).toBe(3);
    expect(nearestRank(1, 1)).toBe(1);
    expect(nearestRank(7, 0)).toBe(1);
  });

  it('gives known values for 1..100 and for a small list', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    expect(percentiles(hundred)).toEqual({ p50: 50, p95: 95, p99: 99 });
    // The textbook example (Wikipedia, "Percentile", nearest-rank method): 15, 20, 35, 40, 50.
    const five = [15, 20, 35, 40, 50];
    expect(percentile(five, 5)).toBe(15);
    expect(percentile(five, 30)).toBe(20);
    expect(percentile(five, 40)).toBe(20);
    expect(percentile(five, 50)).toBe(35);
    expect(percentile(five, 100)).toBe(50);
    // A reported figure is always one that happened, never a blend.
    expect(percentiles([10, 1000])).toEqual({ p50: 10, p95: 1000, p99: 1000 });
  });

  it('is null with no data and sorts numerically, not as text', () => {
    expect(percentiles([])).toEqual({ p50: null, p95: null, p99: null });
    expect(percentiles(parseDurations('900,10000,80'))).toEqual({ p50: 900, p95: 10000, p99: 10000 });
    expect(parseDurations(null)).toHaveLength(0);
  });
});

describe('rates and codes', () => {
  it('success rate ignores cancelled and pending work', () => {
    expect(successRate(0, 0)).toBeNull();
    expect(successRate(3, 1)).toBe(0.75);
  });
  it('counts packed codes, most frequent first', () => {
    expect(countCodes('timeout\u001frate_limited\u001ftimeout', '\u001f')).toEqual([
      { code: 'timeout', count: 2 },
      { code: 'rate_limited', count: 1 },
    ]);
    expect(countCodes(null, ',')).toEqual([]);
  });
});

describe('parseDurations', () => {
  it('reads packed integers, negatives included (a clock stepped back)', () => {
    expect([...parseDurations('0,15,-3,1234567')]).toEqual([0, 15, -3, 1234567]);
    expect([...parseDurations('42')]).toEqual([42]);
  });
});
