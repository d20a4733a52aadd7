import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Emulator } from '../emulator';
import { OAuthError } from '../errors';
import { esc, page } from '../../fake-shared/html';
import { clientCredentials } from '../../fake-shared/server-kit';
import { info, route } from '../../fake-shared/request-info';
import { Account } from '../model';
import { grantedScopes, normalizeScopes, SCOPE_EMAIL, SCOPE_PROFILE } from './scopes';

type Params = Record<string, string | undefined>;

function errorPage(reply: FastifyReply, status: number, error: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html')
    .send(page('Error', `<h1>Error ${status}: ${esc(error)}</h1><p>${esc(detail)}</p>`));
}

function redirectWith(
  reply: FastifyReply,
  redirectUri: string,
  params: Record<string, string | undefined>,
): FastifyReply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

function chooserPage(accounts: Account[], q: Params, selfUrl: string): string {
  const items = accounts
    .map((a) => {
      const u = new URL(selfUrl);
      u.searchParams.set('login_hint', a.email);
      return `<a class="acct" href="${esc(u.pathname + u.search)}"><strong>${esc(a.name)}</strong><br><small>${esc(a.email)}${a.hd ? '' : ' · personal account'}</small></a>`;
    })
    .join('');
  const client = esc(q.client_id);
  return page(
    'Choose an account',
    `<h1>Choose an account</h1><p>to continue to <code>${client}</code> (Google emulator)</p>${items || '<p>No accounts are seeded.</p>'}`,
  );
}

function bearer(req: FastifyRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? (req.query as Params).access_token;
}

export function registerOAuthRoutes(app: FastifyInstance, emu: Emulator): void {
  route(app, 'GET', '/o/oauth2/v2/auth', 'authorize', async (req, reply) => {
    const q = req.query as Params;
    const client = q.client_id ? emu.world.clients.get(q.client_id) : undefined;
    if (!client) return errorPage(reply, 401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = q.redirect_uri;
    if (!redirectUri || (client.redirectUris.length && !client.redirectUris.includes(redirectUri))) {
      return errorPage(
        reply,
        400,
        'redirect_uri_mismatch',
        `The redirect URI in the request, ${redirectUri ?? '(none)'}, does not match the ones authorized for the OAuth client.`,
      );
    }
    if (q.response_type !== 'code')
      return redirectWith(reply, redirectUri, { error: 'unsupported_response_type', state: q.state });
    if (!q.scope) return errorPage(reply, 400, 'invalid_request', 'Missing required parameter: scope');

    const hint = q.login_hint;
    const account = hint ? emu.world.accountBySubOrEmail(hint) : undefined;
    if (!account) {
      const hd = q.hd;
      const choices = [...emu.world.accounts.values()].filter((a) => !hd || (hd === '*' ? Boolean(a.hd) : a.hd === hd));
      return reply.type('text/html').send(chooserPage(choices, q, `${emu.publicUrl}${req.url}`));
    }
    info(req).account = account.email;
    if (account.adminBlocked)
      return redirectWith(reply, redirectUri, { error: 'admin_policy_enforced', state: q.state });
    if (account.denyConsent) return redirectWith(reply, redirectUri, { error: 'access_denied', state: q.state });
    const scopes = grantedScopes(normalizeScopes(q.scope), account);
    const prompt = (q.prompt ?? '').split(/\s+/);
    const code = emu.tokens.createCode({
      clientId: client.clientId,
      sub: account.sub,
      scopes,
      redirectUri,
      nonce: q.nonce,
      offline: q.access_type === 'offline',
      forceConsent: prompt.includes('consent'),
      codeChallenge: q.code_challenge,
      codeChallengeMethod: q.code_challenge_method,
    });
    return redirectWith(reply, redirectUri, {
      state: q.state,
      code,
      scope: scopes.join(' '),
      authuser: '0',
      prompt: 'consent',
    });
  });

  route(app, 'POST', '/token', 'token', async (req, reply) => {
    const body = (req.body ?? {}) as Params;
    const [clientId, secret] = clientCredentials(req, body);
    const client = emu.tokens.authenticateClient(clientId, secret);
    if (body.grant_type === 'authorization_code') {
      if (!body.code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
      return reply.send(await emu.tokens.exchangeCode(client, body.code, body.redirect_uri, body.code_verifier));
    }
    if (body.grant_type === 'refresh_token') {
      if (!body.refresh_token)
        throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
      return reply.send(await emu.tokens.refresh(client, body.refresh_token));
    }
    throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${body.grant_type ?? ''}`);
  });

  route(app, 'POST', '/revoke', 'revoke', async (req, reply) => {
    const token = (req.query as Params).token ?? ((req.body ?? {}) as Params).token;
    if (!token || !emu.tokens.revoke(token)) throw new OAuthError(400, 'invalid_token', 'Token expired or revoked');
    return reply.send({});
  });

  route(app, 'GET', '/oauth2/v3/userinfo', 'userinfo', async (req, reply) => {
    const ctx = emu.tokens.resolveAccess(bearer(req));
    if (!ctx) {
      reply.header('www-authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
      throw new OAuthError(401, 'invalid_request', 'Invalid Credentials');
    }
    const a = ctx.account;
    info(req).account = a.email;
    const out: Record<string, unknown> = { sub: a.sub };
    if (ctx.scopes.includes(SCOPE_PROFILE)) Object.assign(out, { name: a.name, given_name: a.name.split(' ')[0] });
    if (ctx.scopes.includes(SCOPE_EMAIL)) Object.assign(out, { email: a.email, email_verified: a.emailVerified });
    if (a.hd) out.hd = a.hd;
    for (const [k, v] of Object.entries(a.userinfoOverride ?? {})) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return reply.send(out);
  });

  route(app, 'GET', '/oauth2/v3/certs', 'certs', async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(emu.keys.jwks()),
  );
  route(app, 'GET', '/oauth2/v1/certs', 'certs', async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(emu.keys.pemMap()),
  );
  route(app, 'GET', '/.well-known/openid-configuration', 'discovery', async (_req, reply) =>
    reply.send({
      issuer: 'https://accounts.google.com',
      authorization_endpoint: `${emu.publicUrl}/o/oauth2/v2/auth`,
      token_endpoint: `${emu.publicUrl}/token`,
      userinfo_endpoint: `${emu.publicUrl}/oauth2/v3/userinfo`,
      revocation_endpoint: `${emu.publicUrl}/revoke`,
      jwks_uri: `${emu.publicUrl}/oauth2/v3/certs`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['plain', 'S256'],
    }),
  );
}
