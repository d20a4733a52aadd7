import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const blank = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class UserLogPageQuery {
  @IsOptional()
  @Transform(blank)
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;
  @IsOptional()
  @Transform(blank)
  @Type(() => Number)
  @IsInt({ message: 'calendarId must be a calendar id' })
  @Min(1)
  @Max(2 ** 31 - 1)
  calendarId?: number;
  @IsOptional()
  @Transform(blank)
  @IsIn(['success', 'failure', 'warning'], { message: 'status must be success, failure or warning' })
  status?: 'success' | 'failure' | 'warning';
}

export class EventsPageQuery {
  @IsOptional()
  @Transform(blank)
  @Type(() => Number)
  @IsInt({ message: 'weeks must be 1 to 8' })
  @Min(1)
  @Max(8)
  weeks?: number;
}

export class RowPollQuery {
  @Type(() => Number) @IsInt() @Min(0) after: number;
  @Type(() => Number) @IsInt() @Min(0) until: number;
}

export class MainCalendarForm {
  @IsString() @IsNotEmpty({ message: 'Choose a calendar' }) @MaxLength(1024) calendarId: string;
}

/** Checkbox forms send a hidden "false" and, when ticked, "true" after it. */
export class EmailAlertsForm {
  @IsOptional() emailAlerts?: string | string[];
}
