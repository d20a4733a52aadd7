import { channelTokenMatches, hashChannelToken, newChannelToken } from './channel-token';

describe('channel tokens', () => {
  it('are 32 random bytes, distinct each time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newChannelToken()));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(32);
  });

  it('match only the exact token whose hash is stored', () => {
    const token = newChannelToken();
    const stored = hashChannelToken(token);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(token);
    expect(channelTokenMatches(token, stored)).toBe(true);
    expect(channelTokenMatches(token.slice(0, -1), stored)).toBe(false);
    expect(channelTokenMatches(`${token}x`, stored)).toBe(false);
    expect(channelTokenMatches(token.toUpperCase(), stored)).toBe(false);
    expect(channelTokenMatches(undefined, stored)).toBe(false);
    expect(channelTokenMatches('', stored)).toBe(false);
    expect(channelTokenMatches(token, null)).toBe(false);
    expect(channelTokenMatches(token, 'not-hex')).toBe(false);
    expect(channelTokenMatches('x'.repeat(10_000), stored)).toBe(false);
  });
});
