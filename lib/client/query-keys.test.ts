import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { gridQuery, lineageQuery, runFeedQuery, sessionListQuery, trashQuery, trayQuery } from './queries';
import { gridKeys, lineageKeys, reviewKeys, runKeys, sessionKeys, trashKeys, trayKeys, type SessionListFilters } from './query-keys';

const filters: SessionListFilters = { q: 'warm', provider: '', status: '', starred: false, view: 'active' };

describe('query keys', () => {
  it('have one shape per family, each under its family prefix', () => {
    expect(runKeys.feed('s1')).toEqual(['runs', 's1']);
    expect(gridKeys.session('s1')).toEqual(['grid', 's1']);
    expect(sessionKeys.list(filters)).toEqual(['sessions', 'list', filters]);
    expect(trayKeys.all).toEqual(['tray']);
    expect(trashKeys.all).toEqual(['trash']);
    expect(lineageKeys.session('s1')).toEqual(['lineage', 's1']);
    expect(reviewKeys.shares('g1')).toEqual(['review', 'shares', 'g1']);
    expect(reviewKeys.blind('g1')).not.toEqual(reviewKeys.shares('g1'));
    for (const [all, one] of [
      [runKeys.all, runKeys.feed('s1')],
      [gridKeys.all, gridKeys.session('s1')],
      [sessionKeys.all, sessionKeys.list(filters)],
      [lineageKeys.all, lineageKeys.session('s1')],
      [reviewKeys.all, reviewKeys.shares('g1')],
      [reviewKeys.all, reviewKeys.blind('g1')],
    ] as const) {
      expect(one.slice(0, all.length)).toEqual(all);
    }
  });

  it('are what the query options use', () => {
    expect(runFeedQuery('s1').queryKey).toEqual(runKeys.feed('s1'));
    expect(gridQuery('s1').queryKey).toEqual(gridKeys.session('s1'));
    expect(sessionListQuery(filters).queryKey).toEqual(sessionKeys.list(filters));
    expect(trayQuery().queryKey).toEqual(trayKeys.all);
    expect(trashQuery().queryKey).toEqual(trashKeys.all);
    expect(lineageQuery('s1').queryKey).toEqual(lineageKeys.session('s1'));
  });

  it('let a family prefix invalidate every member and nothing else', async () => {
    const qc = new QueryClient();
    qc.setQueryData(runKeys.feed('a'), 1);
    qc.setQueryData(runKeys.feed('b'), 2);
    qc.setQueryData(gridKeys.session('a'), 3);
    qc.setQueryData(sessionKeys.list(filters), 4);
    await qc.invalidateQueries({ queryKey: runKeys.all });
    const stale = (key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated;
    expect([stale(runKeys.feed('a')), stale(runKeys.feed('b')), stale(gridKeys.session('a')), stale(sessionKeys.list(filters))]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    await qc.invalidateQueries({ queryKey: sessionKeys.all });
    expect(stale(sessionKeys.list(filters))).toBe(true);
  });

  it('keep a session list per set of filters', () => {
    expect(sessionListQuery(filters).queryKey).not.toEqual(sessionListQuery({ ...filters, q: 'cold' }).queryKey);
    expect(sessionListQuery(filters).queryKey).toEqual(sessionListQuery({ ...filters }).queryKey);
  });
});
