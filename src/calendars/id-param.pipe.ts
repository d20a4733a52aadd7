import { BadRequestException, PipeTransform } from '@nestjs/common';

/** Route ids are positive integers; anything else is bad input (400), never a 5xx from SQLite. */
export class IdParamPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    // The global ValidationPipe (transform) may already have turned the string into a number (or NaN).
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2 ** 31 - 1) {
      throw new BadRequestException(
        `${typeof text === 'string' && text !== 'NaN' ? `"${text.slice(0, 40)}"` : 'That'} is not a valid id`,
      );
    }
    return Number(text);
  }
}
