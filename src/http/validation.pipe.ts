import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => m.replace(e.property, field));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator on every body and query: unknown fields refused, clear messages in `details`. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({ error: `Invalid input: ${details.join('; ')}`, details });
    },
  });
}

/**
 * The same validation for what arrives another way, e.g. a page's form post once its text fields are
 * turned into typed values: the DTO's rules and messages, refused as a 400 in the API error shape.
 */
export async function validateBody<T extends object>(metatype: new () => T, value: object): Promise<T> {
  return (await apiValidationPipe().transform(value, { type: 'body', metatype })) as T;
}
