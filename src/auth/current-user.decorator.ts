import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { User } from '../database/entities';

/** The user the SessionGuard resolved for this request. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): User => {
  return ctx.switchToHttp().getRequest<{ user: User }>().user;
});
