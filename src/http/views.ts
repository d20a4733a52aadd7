import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import handlebars from 'handlebars';
import { existsSync } from 'node:fs';
import { projectPath } from '../paths';

/** Handlebars pages from views/, static assets (built CSS, htmx, Alpine) from public/ at /static. */
export function configureViews(app: NestFastifyApplication): void {
  const publicDir = projectPath('public');
  if (existsSync(publicDir)) {
    void app.register(fastifyStatic, { root: publicDir, prefix: '/static/', decorateReply: false, maxAge: '1h' });
  }
  void app.register(fastifyView, {
    engine: { handlebars },
    root: projectPath('views'),
    viewExt: 'hbs',
  });
}
