import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { projectPath } from '../paths';

export interface AlertMailContext {
  title: string;
  occurredAt: string;
  calendar: string;
  userEmail?: string | null;
  error: string;
  suggestedAction: string;
  dashboardUrl: string;
  preferencesUrl: string;
  /** Why this recipient gets it ("you are an administrator of BusyBridge", ...). */
  reason: string;
}

type Render = (context: AlertMailContext) => string;

/** Compiled once from views/emails; the text version is not HTML-escaped, the HTML one is. */
export class AlertTemplates {
  private readonly text: Render;
  private readonly html: Render;

  constructor(dir = projectPath('views', 'emails')) {
    const hbs = Handlebars.create();
    this.text = hbs.compile(readFileSync(`${dir}/alert.txt.hbs`, 'utf8'), { noEscape: true, strict: true });
    this.html = hbs.compile(readFileSync(`${dir}/alert.html.hbs`, 'utf8'), { strict: true });
  }

  render(context: AlertMailContext): { subject: string; text: string; html: string } {
    const full = { userEmail: null, ...context };
    return {
      subject: `[BusyBridge] ${context.title}: ${context.calendar}`.replace(/[\r\n]+/g, ' ').slice(0, 200),
      text: this.text(full),
      html: this.html(full),
    };
  }
}
