import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { User } from '../database/entities';
import { AlertPreferences, CalendarsService, MeView } from './calendars.service';
import { AlertPreferencesDto, MainCalendarDto } from './dto';
import { CalendarChoice } from './google-http-errors';

@Controller('api/me')
@UseGuards(SessionGuard)
export class MeController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  me(@CurrentUser() user: User): MeView {
    return this.calendars.me(user);
  }

  @Get('calendars')
  calendarsOfHome(@CurrentUser() user: User): Promise<CalendarChoice[]> {
    return this.calendars.homeCalendars(user);
  }

  @Put('main-calendar')
  setMain(@CurrentUser() user: User, @Body() body: MainCalendarDto): Promise<MeView> {
    return this.calendars.setMainCalendar(user, body.calendarId);
  }

  @Get('alert-preferences')
  alertPreferences(@CurrentUser() user: User): AlertPreferences {
    return this.calendars.alertPreferences(user);
  }

  @Put('alert-preferences')
  setAlertPreferences(@CurrentUser() user: User, @Body() body: AlertPreferencesDto): Promise<AlertPreferences> {
    return this.calendars.setAlertPreferences(user, body);
  }
}
