import { UserLanes } from './user-lanes';

function gate(): { open: () => void; wait: Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
}

describe('UserLanes', () => {
  it("runs one user's jobs one at a time, in order", async () => {
    const lanes = new UserLanes(4);
    const log: string[] = [];
    const g = gate();
    const first = lanes.enqueue(1, 'a', async () => {
      log.push('a start');
      await g.wait;
      log.push('a end');
    });
    const second = lanes.enqueue(1, 'b', async () => {
      log.push('b');
    });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['a start']);
    g.open();
    await Promise.all([first, second]);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('coalesces a trigger whose job is still waiting, but not one already running', async () => {
    const lanes = new UserLanes(1);
    const g = gate();
    let runs = 0;
    const running = lanes.enqueue(1, 'sync:5', async () => {
      runs++;
      await g.wait;
    });
    await new Promise((r) => setImmediate(r));
    const queued1 = lanes.enqueue(1, 'sync:5', async () => {
      runs++;
    });
    const queued2 = lanes.enqueue(1, 'sync:5', async () => {
      runs++;
    });
    expect(queued1).toBe(queued2);
    g.open();
    await Promise.all([running, queued1]);
    expect(runs).toBe(2);
  });

  it('runs different users in parallel up to the bound', async () => {
    const lanes = new UserLanes(2);
    let concurrent = 0;
    let peak = 0;
    const job = async () => {
      concurrent++;
      peak = Math.max(peak, concurrent);
      await new Promise((r) => setTimeout(r, 10));
      concurrent--;
    };
    await Promise.all([1, 2, 3, 4, 5].map((u) => lanes.enqueue(u, 'x', job)));
    expect(peak).toBe(2);
    await lanes.onIdle();
    expect(lanes.isIdle()).toBe(true);
  });

  it('a failing job rejects its caller and the lane goes on', async () => {
    const lanes = new UserLanes(1);
    await expect(
      lanes.enqueue(1, 'bad', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(lanes.enqueue(1, 'good', async () => 7)).resolves.toBe(7);
  });

  it('onIdle waits for queued work', async () => {
    const lanes = new UserLanes(1);
    let done = false;
    void lanes.enqueue(1, 'x', async () => {
      await new Promise((r) => setTimeout(r, 20));
      done = true;
    });
    await lanes.onIdle();
    expect(done).toBe(true);
  });

  it('runs a webhook sync ahead of a queued poll cycle, and promotes a queued poll it coalesces with', async () => {
    const lanes = new UserLanes(1);
    const g = gate();
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
    };
    const busy = lanes.enqueue(1, 'sync:1', async () => {
      await g.wait;
    });
    await new Promise((r) => setImmediate(r));
    const polls = [2, 3, 4].map((u) => lanes.enqueue(u, `sync:${u}`, job(`poll ${u}`), { background: true }));
    const pollOf6 = lanes.enqueue(6, 'sync:6', job('poll 6'), { background: true });
    const webhook = lanes.enqueue(5, 'sync:5', job('webhook 5'));
    const promoted = lanes.enqueue(6, 'sync:6', job('never runs: coalesced'));
    expect(promoted).toBe(pollOf6);
    g.open();
    await Promise.all([busy, ...polls, webhook, promoted]);
    expect(order).toEqual(['webhook 5', 'poll 6', 'poll 2', 'poll 3', 'poll 4']);
    expect(lanes.isIdle()).toBe(true);
  });

  it("puts a user's own webhook sync ahead of their queued polls", async () => {
    const lanes = new UserLanes(1);
    const g = gate();
    const order: string[] = [];
    const busy = lanes.enqueue(9, 'other', async () => {
      await g.wait;
    });
    await new Promise((r) => setImmediate(r));
    const jobs = [
      lanes.enqueue(
        1,
        'sync:1',
        async () => {
          order.push('poll 1');
        },
        { background: true },
      ),
      lanes.enqueue(
        1,
        'sync:2',
        async () => {
          order.push('poll 2');
        },
        { background: true },
      ),
      lanes.enqueue(1, 'sync:3', async () => {
        order.push('webhook 3');
      }),
    ];
    g.open();
    await Promise.all([busy, ...jobs]);
    expect(order).toEqual(['webhook 3', 'poll 1', 'poll 2']);
  });
});
