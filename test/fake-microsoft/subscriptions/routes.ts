import { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../../fake-shared/request-info';
import type { Emulator } from '../emulator';
import { callerFor } from '../graph/context';

const id = (req: FastifyRequest) => (req.params as { id: string }).id;
const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;

export function registerSubscriptionRoutes(app: FastifyInstance, emu: Emulator): void {
  const subs = emu.subscriptions;
  const context = () => `${emu.publicUrl}/v1.0/$metadata#subscriptions/$entity`;
  route(app, 'POST', '/v1.0/subscriptions', 'subscriptions.create', async (req, reply) => {
    const sub = await subs.create(callerFor(emu, req, 'read'), body(req));
    return reply.code(201).send({ '@odata.context': context(), ...subs.json(sub) });
  });
  route(app, 'GET', '/v1.0/subscriptions', 'subscriptions.list', async (req) => ({
    '@odata.context': `${emu.publicUrl}/v1.0/$metadata#subscriptions`,
    value: subs.list(callerFor(emu, req, 'read')).map((s) => subs.json(s)),
  }));
  route(app, 'GET', '/v1.0/subscriptions/:id', 'subscriptions.get', async (req) => ({
    '@odata.context': context(),
    ...subs.json(subs.get(callerFor(emu, req, 'read'), id(req))),
  }));
  route(app, 'PATCH', '/v1.0/subscriptions/:id', 'subscriptions.renew', async (req) => ({
    '@odata.context': context(),
    ...subs.json(subs.renew(callerFor(emu, req, 'read'), id(req), body(req))),
  }));
  route(app, 'DELETE', '/v1.0/subscriptions/:id', 'subscriptions.delete', async (req, reply) => {
    subs.delete(callerFor(emu, req, 'read'), id(req));
    return reply.code(204).send();
  });
  route(app, 'POST', '/v1.0/subscriptions/:id/reauthorize', 'subscriptions.reauthorize', async (req, reply) => {
    subs.reauthorize(callerFor(emu, req, 'read'), id(req));
    return reply.code(204).send();
  });
}
