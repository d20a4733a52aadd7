import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { esc, page } from '../../fake-shared/html';
import { clientCredentials } from '../../fake-shared/server-kit';
import { info, route } from '../../fake-shared/request-info';
import type { Emulator } from '../emulator';
import { AadError } from '../errors';
import { AppRegistration, PERSONAL_TENANT_ID, User } from '../model';
import { parseScopes } from './scopes';

type Params = Record<string, string | undefined>;
const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

function errorPage(reply: FastifyReply, status: number, code: number, text: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html')
    .send(
      page('Sign in', `<h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS${code}: ${esc(text)}</p>`),
    );
}

function redirectWith(
  reply: FastifyReply,
  redirectUri: string,
  mode: string | undefined,
  params: Params,
): FastifyReply {
  const url = new URL(redirectUri);
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  if (mode === 'form_post') {
    // The browser POSTs the answer to the redirect URI (a self-submitting form), keeping the code out of URLs.
    const inputs = [...qs].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    return reply
      .type('text/html')
      .send(
        page(
          'Working...',
          `<form method="POST" name="hiddenform" action="${esc(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script>`,
        ),
      );
  }
  if (mode === 'fragment') url.hash = qs.toString();
  else for (const [k, v] of qs) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

/** Which users may sign in at /{tenant}/...: common = anyone, organizations = work accounts, consumers = personal. */
function usersFor(emu: Emulator, tenant: string): User[] | undefined {
  const all = [...emu.world.users.values()];
  if (tenant === 'common') return all;
  if (tenant === 'organizations') return all.filter((u) => !u.personal);
  if (tenant === 'consumers' || tenant === PERSONAL_TENANT_ID) return all.filter((u) => u.personal);
  const t = emu.world.tenantByIdOrDomain(tenant);
  return t && all.filter((u) => !u.personal && u.tenantId === t.id);
}

function needsAdminConsent(emu: Emulator, user: User, app: AppRegistration): boolean {
  const t = emu.world.tenants.get(user.tenantId);
  if (user.personal || !t || t.adminConsentedClients.has(app.clientId)) return false;
  return t.userConsent === 'none' || (t.userConsent === 'verifiedPublishers' && !app.verifiedPublisher);
}

function chooser(users: User[], selfUrl: string, client: string): string {
  const items = users
    .map((u) => {
      const url = new URL(selfUrl);
      url.searchParams.set('login_hint', u.userPrincipalName);
      return `<a class="acct" href="${esc(url.pathname + url.search)}"><strong>${esc(u.displayName)}</strong><br><small>${esc(u.userPrincipalName)}${u.personal ? ' · personal account' : ''}</small></a>`;
    })
    .join('');
  return page(
    'Pick an account',
    `<h1>Pick an account</h1><p>to continue to <code>${esc(client)}</code> (Microsoft emulator)</p>${items || '<p>No accounts can sign in here.</p>'}`,
  );
}

function authorize(emu: Emulator, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { tenant } = req.params as { tenant: string };
  const q = req.query as Params;
  const users = usersFor(emu, tenant);
  if (!users)
    return errorPage(
      reply,
      400,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  const app = q.client_id ? emu.world.apps.get(q.client_id) : undefined;
  if (!app)
    return errorPage(
      reply,
      400,
      700016,
      `Application with identifier '${q.client_id ?? ''}' was not found in the directory.`,
    );
  const redirectUri = q.redirect_uri;
  if (!redirectUri || (app.redirectUris.length && !app.redirectUris.includes(redirectUri))) {
    return errorPage(
      reply,
      400,
      50011,
      `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
    );
  }
  const mode = q.response_mode;
  const fail = (error: string, description: string) =>
    redirectWith(reply, redirectUri, mode, { error, error_description: description, state: q.state });
  if (q.response_type !== 'code')
    return fail('unsupported_response_type', 'AADSTS700054: response_type is not supported for the application.');
  const { scopes, unknown } = parseScopes(q.scope ?? '');
  if (!q.scope)
    return fail('invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'.");
  if (unknown)
    return fail(
      'invalid_scope',
      `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${unknown} is not valid.`,
    );
  if (q.code_challenge_method && !['S256', 'plain'].includes(q.code_challenge_method))
    return fail('invalid_request', 'AADSTS501491: Invalid size of Code_Challenge parameter.');
  const user = q.login_hint ? emu.world.userByLogin(q.login_hint) : undefined;
  if (!user || !users.includes(user)) {
    if (q.prompt === 'none')
      return fail('login_required', 'AADSTS50058: A silent sign-in request was sent but no user is signed in.');
    return reply.type('text/html').send(chooser(users, `${emu.publicUrl}${req.url}`, app.name));
  }
  info(req).account = user.userPrincipalName;
  if (needsAdminConsent(emu, user, app)) {
    return fail(
      'consent_required',
      `AADSTS90094: ${app.name} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.`,
    );
  }
  const code = emu.tokens.createCode({
    clientId: app.clientId,
    userId: user.id,
    scopes,
    redirectUri,
    nonce: q.nonce,
    codeChallenge: q.code_challenge,
    codeChallengeMethod: q.code_challenge_method,
  });
  return redirectWith(reply, redirectUri, mode, { code, state: q.state, session_state: user.id });
}

export function registerIdentityRoutes(app: FastifyInstance, emu: Emulator): void {
  route(app, 'GET', '/:tenant/oauth2/v2.0/authorize', 'authorize', async (req, reply) => authorize(emu, req, reply));

  route(app, 'POST', '/:tenant/oauth2/v2.0/token', 'token', async (req, reply) => {
    const { tenant } = req.params as { tenant: string };
    if (!TENANT_ALIASES.has(tenant) && !emu.world.tenantByIdOrDomain(tenant) && tenant !== PERSONAL_TENANT_ID) {
      throw new AadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    }
    const body = (req.body ?? {}) as Params;
    const [clientId, secret] = clientCredentials(req, body);
    const registration = emu.tokens.authenticateClient(clientId, secret);
    if (body.grant_type === 'authorization_code') {
      if (!body.code)
        throw new AadError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'code'.",
        );
      return reply.send(await emu.tokens.redeemCode(registration, body.code, body.redirect_uri, body.code_verifier));
    }
    if (body.grant_type === 'refresh_token') {
      if (!body.refresh_token)
        throw new AadError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'refresh_token'.",
        );
      return reply.send(await emu.tokens.refresh(registration, body.refresh_token));
    }
    throw new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${body.grant_type ?? ''}'.`,
    );
  });

  route(app, 'GET', '/:tenant/discovery/v2.0/keys', 'keys', async (_req, reply) =>
    reply.header('cache-control', 'max-age=86400').send(emu.keys.jwks()),
  );

  route(app, 'GET', '/:tenant/v2.0/.well-known/openid-configuration', 'discovery', async (req, reply) => {
    const { tenant } = req.params as { tenant: string };
    const t = emu.world.tenantByIdOrDomain(tenant);
    const issuerTenant = t ? t.id : tenant === 'consumers' ? PERSONAL_TENANT_ID : '{tenantid}';
    const base = `${emu.publicUrl}/${tenant}`;
    return reply.send({
      issuer: `${emu.publicUrl}/${issuerTenant}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      userinfo_endpoint: `${emu.publicUrl}/oidc/userinfo`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['plain', 'S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'nonce',
        'tid',
        'oid',
        'preferred_username',
        'name',
        'email',
        'ver',
      ],
    });
  });

  /** An administrator of the tenant grants the app for everyone (the way out of AADSTS90094). */
  route(app, 'GET', '/:tenant/v2.0/adminconsent', 'adminconsent', async (req, reply) => {
    const { tenant } = req.params as { tenant: string };
    const q = req.query as Params;
    const t = emu.world.tenantByIdOrDomain(tenant);
    const registration = q.client_id ? emu.world.apps.get(q.client_id) : undefined;
    if (!t || !registration || !q.redirect_uri)
      return errorPage(reply, 400, 90002, 'Tenant or application not found, or redirect_uri missing.');
    t.adminConsentedClients.add(registration.clientId);
    return redirectWith(reply, q.redirect_uri, 'query', {
      admin_consent: 'True',
      tenant: t.id,
      state: q.state,
      scope: q.scope,
    });
  });
}
