import { describe, expect, it, vi } from 'vitest';
import { createMemoryBus } from './memory-bus';
import type { ChangeEvent } from './types';

const event = (sessionId: string, variationId = 'v1'): ChangeEvent => ({ sessionId, runId: 'r1', variationId, status: 'running' });

describe('the in-process event bus', () => {
  it('delivers to the subscribers of that session only', () => {
    const bus = createMemoryBus();
    const a = vi.fn();
    const b = vi.fn();
    bus.subscribe('s1', a);
    bus.subscribe('s2', b);
    bus.publish(event('s1'));
    expect(a).toHaveBeenCalledExactlyOnceWith(event('s1'));
    expect(b).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe, and leaves nothing behind', () => {
    const bus = createMemoryBus();
    const a = vi.fn();
    const off = bus.subscribe('s1', a);
    expect(bus.listenerCount('s1')).toBe(1);
    off();
    off(); // twice is harmless
    bus.publish(event('s1'));
    expect(a).not.toHaveBeenCalled();
    expect(bus.listenerCount('s1')).toBe(0);
    expect(bus.listenerCount()).toBe(0);
  });

  it('counts the same function subscribed twice as two subscriptions, each removed on its own', () => {
    const bus = createMemoryBus();
    const a = vi.fn();
    const off1 = bus.subscribe('s1', a);
    bus.subscribe('s1', a);
    bus.publish(event('s1'));
    expect(a).toHaveBeenCalledTimes(2);
    off1();
    bus.publish(event('s1'));
    expect(a).toHaveBeenCalledTimes(3);
    expect(bus.listenerCount('s1')).toBe(1);
  });

  it('a listener that throws does not keep the event from the others, nor from the publisher', () => {
    const bus = createMemoryBus();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    bus.subscribe('s1', () => {
      throw new Error('boom');
    });
    bus.subscribe('s1', after);
    expect(() => bus.publish(event('s1'))).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('a listener may unsubscribe itself while the event is delivered', () => {
    const bus = createMemoryBus();
    const second = vi.fn();
    const off = bus.subscribe('s1', () => off());
    bus.subscribe('s1', second);
    bus.publish(event('s1'));
    expect(second).toHaveBeenCalledOnce();
    expect(bus.listenerCount('s1')).toBe(1);
  });

  it('a thousand streams opened and closed leave no listener', () => {
    const bus = createMemoryBus();
    const offs = Array.from({ length: 1000 }, (_, i) => bus.subscribe(`s${i % 10}`, () => {}));
    expect(bus.listenerCount()).toBe(1000);
    for (const off of offs) off();
    expect(bus.listenerCount()).toBe(0);
  });

  it('does not span processes (the stream tells the page to keep polling when the worker runs elsewhere)', () => {
    expect(createMemoryBus().spansProcesses).toBe(false);
  });
});
