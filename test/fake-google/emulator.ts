import { EventService } from './calendar/event-service';
import { CallLog } from '../fake-shared/call-log';
import { FaultInjector } from '../fake-shared/faults';
import { WriteRateLimiter } from './control/rate-limiter';
import { KeyRing } from '../fake-shared/keys';
import { TokenStore } from './oauth/token-store';
import { PushNotifier } from './push/notifier';
import { World } from './world';

/** The emulator's components, wired once per server. */
export class Emulator {
  readonly world = new World();
  readonly tokens: TokenStore;
  readonly events: EventService;
  readonly notifier: PushNotifier;
  readonly faults: FaultInjector;
  readonly calls = new CallLog();
  readonly limiter = new WriteRateLimiter();
  publicUrl = 'http://127.0.0.1';

  constructor(readonly keys: KeyRing) {
    this.tokens = new TokenStore(this.world, keys);
    this.events = new EventService(this.world, () => this.publicUrl);
    this.notifier = new PushNotifier(this.world, this.world.random, () => this.publicUrl);
    this.faults = new FaultInjector(this.world.random);
  }

  reset(): void {
    this.world.reset();
    this.tokens.reset();
    this.notifier.reset();
    this.faults.clear();
    this.calls.clear();
    this.limiter.reset();
  }
}
