import { HttpException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { toResponse } from '../http/api-exception.filter';
import { isHtmx } from './page-renderer';

/** Text for HTML built outside Handlebars (htmx fragments): every markup character as an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A refused request's status and message (a 4xx, or 503); anything else is a bug and is thrown on as is. */
export function refusalOf(error: unknown): { status: number; message: string } {
  if (!(error instanceof HttpException) || (error.getStatus() >= 500 && error.getStatus() !== 503)) throw error;
  return { status: error.getStatus(), message: toResponse(error).body.error };
}

/** The 303 of post/redirect/get, with a fixed notice code (format.ts NOTICES) for the page it lands on. */
export function seeOther(reply: FastifyReply, back: string, done?: string): FastifyReply {
  return reply.redirect(done ? `${back}?done=${done}` : back, 303);
}

/**
 * A page's form post, shared by every page controller: `work` done -> `done(result)` (usually `seeOther`);
 * refused -> htmx gets an alert fragment with the 4xx, a plain form (no JavaScript) `refused(message, status)`,
 * the page again with the message and the 4xx.
 */
export async function formPost<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<T>,
  done: (result: T) => unknown,
  refused: (message: string, status: number) => Promise<unknown>,
): Promise<unknown> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const { status, message } = refusalOf(error);
    if (isHtmx(request))
      return reply
        .code(status)
        .type('text/html')
        .send(`<div class="alert alert-error" role="alert">${escapeHtml(message)}</div>`);
    return refused(message, status);
  }
  return done(result);
}
