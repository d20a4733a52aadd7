import { NotificationCoalescer } from './notification-coalescer';

describe('NotificationCoalescer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('triggers the first notification at once and folds a burst into one trailing trigger', () => {
    const calls: number[] = [];
    const c = new NotificationCoalescer(1000, (id) => calls.push(id));
    expect(c.notify(7)).toBe(true);
    for (let i = 0; i < 50; i++) expect(c.notify(7)).toBe(false);
    expect(calls).toEqual([7]);
    jest.advanceTimersByTime(1000);
    expect(calls).toEqual([7, 7]);
    // Quiet afterwards: the window closes without another trigger.
    jest.advanceTimersByTime(5000);
    expect(calls).toEqual([7, 7]);
    expect(c.notify(7)).toBe(true);
    expect(calls).toEqual([7, 7, 7]);
    c.close();
  });

  it('keeps calendars apart and sends no trailing trigger for a lone notification', () => {
    const calls: number[] = [];
    const c = new NotificationCoalescer(1000, (id) => calls.push(id));
    c.notify(1);
    c.notify(2);
    c.notify(2);
    jest.advanceTimersByTime(1000);
    expect(calls).toEqual([1, 2, 2]);
    c.close();
  });
});
