import { PropagationClock } from './propagation-clock';

describe('PropagationClock', () => {
  it('keeps the first notice until a sync takes it; the next notice starts a new clock', () => {
    const clock = new PropagationClock();
    clock.noticed(7, 'webhook', 1_000);
    clock.noticed(7, 'poll', 1_500); // the same pending changes, announced again
    expect(clock.take(7)).toEqual({ at: 1_000, trigger: 'webhook' });
    expect(clock.take(7)).toBeUndefined();
    clock.noticed(7, 'poll', 2_000); // arrived while that sync ran: the next sync's
    expect(clock.take(7)).toEqual({ at: 2_000, trigger: 'poll' });
  });

  it('keeps calendars apart', () => {
    const clock = new PropagationClock();
    clock.noticed(1, 'webhook', 10);
    clock.noticed(2, 'poll', 20);
    expect(clock.take(2)).toEqual({ at: 20, trigger: 'poll' });
    expect(clock.take(1)).toEqual({ at: 10, trigger: 'webhook' });
  });
});
