import { copyIdForOrigin, parseCopyId } from './copy-ids';

const KEY = Buffer.alloc(32, 7);

describe('parseCopyId', () => {
  it('reads a copy id and an occurrence of a copied series', () => {
    const series = copyIdForOrigin(KEY, 1, 2, { id: 'series1' }, 3);
    const occurrence = copyIdForOrigin(KEY, 1, 2, { id: 'series1_20261130T090000Z', recurringEventId: 'series1' }, 3);
    expect(parseCopyId(series)).toEqual({ base: series, suffix: null });
    expect(parseCopyId(occurrence)).toEqual({ base: series, suffix: '20261130T090000Z' });
  });

  it.each(['abc', 'someone-elses-event', `${'w'.repeat(26)}`, `${'a'.repeat(26)}_`, `${'a'.repeat(27)}`])(
    'refuses %s, which BusyBridge did not make',
    (id) => {
      expect(parseCopyId(id)).toBeNull();
    },
  );
});
