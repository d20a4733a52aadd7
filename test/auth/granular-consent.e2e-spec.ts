import { DataSource } from 'typeorm';
import { CookieClient } from '../support/cookie-client';
import { connectAccount, HttpSession } from '../support/http-session';
import { completeWizard, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';

const G = 'https://www.googleapis.com/auth/';

/**
 * Google's consent screen lets a person untick scopes (granular consent): the token then covers fewer
 * scopes than asked for. The product refuses such a sign-in or connection with a clear message and stores
 * nothing of it.
 */
describe('granular consent: a grant with fewer scopes than asked for', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    world.fake.control.seed({
      accounts: [
        { email: `gus@${DOMAIN}`, name: 'Gus Granular' },
        { email: 'dan@client.example', name: 'Dan Client' },
      ],
    });
    await completeWizard(world);
  });
  afterAll(async () => {
    await world.close();
  });

  const count = async (sql: string, email: string) =>
    Number((await world.product.app.get(DataSource).query(sql, [email]))[0].n);
  const users = (email: string) => count('SELECT COUNT(*) AS n FROM users WHERE lower(email) = lower(?)', email);
  const tokens = (email: string) =>
    count('SELECT COUNT(*) AS n FROM oauth_tokens WHERE lower(google_account_email) = lower(?)', email);

  it('a sign-in without the calendar scope is refused with a clear message; no user, no token', async () => {
    world.fake.control.setAccountFlags(`gus@${DOMAIN}`, { untickedScopes: [`${G}calendar.events`] });
    const client = new CookieClient(world.product.url);
    const result = await signInWithGoogle(client, world.fake, `gus@${DOMAIN}`);
    expect(result.location).toBe('/app/login?error=scopes');
    expect(client.cookies.has('bb_session')).toBe(false);
    expect(await (await client.get(result.location)).text()).toContain('needs every permission it asked for');
    expect(await users(`gus@${DOMAIN}`)).toBe(0);
    expect(await tokens(`gus@${DOMAIN}`)).toBe(0);
  });

  it('a client connection without the calendar-list scope is refused, naming what is missing; nothing stored', async () => {
    world.fake.control.setAccountFlags(`gus@${DOMAIN}`, { untickedScopes: [] });
    const client = new CookieClient(world.product.url);
    expect((await signInWithGoogle(client, world.fake, `gus@${DOMAIN}`)).location).toBe('/app');
    const session = new HttpSession(world.product.url, [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    world.fake.control.setAccountFlags('dan@client.example', {
      untickedScopes: [`${G}calendar.calendarlist.readonly`],
    });
    const refused = await connectAccount(session, '/auth/connect-client', 'dan@client.example');
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('Permissions missing');
    expect(page).toContain(`${G}calendar.calendarlist.readonly`);
    expect(await tokens('dan@client.example')).toBe(0);
    // Ticking every box again connects the account.
    world.fake.control.setAccountFlags('dan@client.example', { untickedScopes: [] });
    const done = await connectAccount(session, '/auth/connect-client', 'dan@client.example');
    expect(done.headers.get('location')).toMatch(/^\/app\/connect\?account=\d+$/);
    expect(await tokens('dan@client.example')).toBe(1);
  });
});
