import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectPath } from '../paths';

/**
 * Partials are named by their path under views/partials (`wizard/progress`), layouts under
 * views/layouts as `layouts/<name>`; a page wraps itself with `{{#> layouts/base}}...{{/layouts/base}}`.
 */
function registerPartials(dir: string, prefix: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) registerPartials(full, `${prefix}${entry.name}/`);
    else if (entry.name.endsWith('.hbs'))
      handlebars.registerPartial(`${prefix}${entry.name.slice(0, -4)}`, readFileSync(full, 'utf8'));
  }
}

handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

/** Handlebars pages from views/, static assets (built CSS, htmx, Alpine) from public/ at /static. */
export function configureViews(app: NestFastifyApplication): void {
  const publicDir = projectPath('public');
  if (existsSync(publicDir)) {
    void app.register(fastifyStatic, { root: publicDir, prefix: '/static/', decorateReply: false, maxAge: '1h' });
  }
  registerPartials(projectPath('views', 'partials'), '');
  registerPartials(projectPath('views', 'layouts'), 'layouts/');
  void app.register(fastifyView, {
    engine: { handlebars },
    root: projectPath('views'),
    viewExt: 'hbs',
  });
}
