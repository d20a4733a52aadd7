import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfService } from '../auth/csrf.service';
import { User } from '../database/entities';
import { cspNonce } from '../http/security-headers';
import { APP_VERSION } from '../version';
import { notice } from './format';

export interface PageOptions {
  status?: number;
}

/** A page of the signed-in area (/app, /admin): its template, menu entry, title and data. */
export interface SignedInPage {
  view: string;
  nav: string;
  title: string;
  data: object;
  /** A refusal to show instead of the `?done=` notice. */
  error?: string;
  status?: number;
}

/** What every page template can use besides its own data. */
export interface PageGlobals {
  nonce: string;
  csrfToken: string;
  version: string;
}

/**
 * Renders a Handlebars page from views/ wrapped in the base layout (`{{#> layouts/base}}`): adds the
 * CSP nonce for script tags, a CSRF token for forms (`_csrf`) and htmx (`X-CSRF-Token`), and never
 * lets a page be cached. Handlebars escapes every `{{value}}`, so user text renders as text.
 */
@Injectable()
export class PageRenderer {
  constructor(private readonly csrf: CsrfService) {}

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    data: object = {},
    options: PageOptions = {},
  ): Promise<FastifyReply> {
    const globals: PageGlobals = {
      nonce: cspNonce(request),
      csrfToken: await this.csrf.tokenFor(request, reply),
      version: APP_VERSION,
    };
    reply.code(options.status ?? 200).header('cache-control', 'no-store');
    return reply.view(view, { ...data, ...globals });
  }

  /** The signed-in layout: who is signed in, the menu, and the notice of the form that redirected here. */
  renderSignedIn(request: FastifyRequest, reply: FastifyReply, user: User, page: SignedInPage): Promise<FastifyReply> {
    const me = { id: user.id, email: user.email, displayName: user.displayName, isAdmin: user.isAdmin };
    const feedback = { notice: page.error ? undefined : notice(request.query), error: page.error };
    return this.render(
      request,
      reply,
      page.view,
      { title: page.title, nav: page.nav, me, signedIn: true, ...feedback, ...page.data },
      { status: page.status },
    );
  }
}

/** Pages answer JSON to scripts that ask for it (`Accept: application/json`, docs/api.md). */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  if (accept.includes('application/json')) return !accept.includes('text/html');
  return !accept.includes('text/html') && String(request.headers['content-type'] ?? '').startsWith('application/json');
}

/** htmx asks for a fragment, not a whole page. */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
}
