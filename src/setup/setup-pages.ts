import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { isSignInErrorCode, SIGN_IN_ERRORS } from '../auth/sign-in-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DemoHint } from '../ui/demo-hint';
import { PageRenderer } from '../ui/page-renderer';
import { STEP_TITLES, WizardStepsService } from './wizard-steps.service';
import { WizardState } from './wizard.store';

export interface StepExtras {
  error?: string;
  notice?: string;
  encryptionKey?: string;
  done?: { email: string; domain: string };
}

/** View models of the wizard's pages (views/setup/step-N.hbs). */
@Injectable()
export class SetupPages {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly steps: WizardStepsService,
    private readonly pages: PageRenderer,
    private readonly demo: DemoHint,
  ) {}

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    step: number,
    state: WizardState,
    extras: StepExtras = {},
    status = 200,
  ): Promise<FastifyReply> {
    const flash = state.flash;
    state.flash = undefined;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const signInError = step === 3 && isSignInErrorCode(query.error) ? SIGN_IN_ERRORS[query.error] : undefined;
    const smtp = state.smtp?.enabled
      ? { ...state.smtp, password: undefined, adminEmails: state.smtp.adminEmails.join(', ') }
      : undefined;
    return this.pages.render(
      request,
      reply,
      `setup/step-${step}`,
      {
        title: `Setup · ${STEP_TITLES[step - 1]}`,
        step,
        progress: STEP_TITLES.map((title, i) => ({ n: i + 1, title, done: i + 1 < step, current: i + 1 === step })),
        prevHref: step > 1 && step < 6 ? `/setup/step/${step - 1}` : null,
        error: extras.error ?? flash ?? signInError,
        notice: extras.notice,
        publicUrl: this.config.publicUrl,
        redirectUris: this.steps.redirectUris(),
        clientId: state.draftClientId ?? state.credentials?.clientId ?? '',
        credentialsOk: Boolean(state.credentials),
        admin: state.admin ? { email: state.admin.claims.email.toLowerCase(), domain: state.admin.domain } : null,
        smtpDecided: Boolean(state.smtp),
        smtpEnabled: state.smtp?.enabled ?? false,
        smtp,
        encryptionKey: extras.encryptionKey,
        keyAlreadyShown: step === 5 && !extras.encryptionKey && state.keyShown,
        done: extras.done,
        demo: this.demo.get(),
      },
      { status },
    );
  }
}
