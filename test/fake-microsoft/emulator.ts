import { CallLog } from '../fake-shared/call-log';
import { FaultInjector } from '../fake-shared/faults';
import { KeyRing } from '../fake-shared/keys';
import { DeltaService } from './graph/delta';
import { EventService } from './graph/event-service';
import { Throttle } from './graph/throttle';
import { TokenStore } from './identity/token-store';
import { SubscriptionService } from './subscriptions/subscriptions';
import { World } from './world';

/** The emulator's components, wired once per server. */
export class Emulator {
  readonly world = new World();
  readonly tokens: TokenStore;
  readonly events: EventService;
  readonly delta: DeltaService;
  readonly subscriptions: SubscriptionService;
  readonly throttle: Throttle;
  readonly faults: FaultInjector;
  readonly calls = new CallLog();
  publicUrl = 'http://127.0.0.1';

  constructor(readonly keys: KeyRing) {
    this.tokens = new TokenStore(this.world, keys, () => this.publicUrl);
    this.events = new EventService(this.world);
    this.delta = new DeltaService(this.world);
    this.subscriptions = new SubscriptionService(this.world);
    this.throttle = new Throttle(this.world);
    this.faults = new FaultInjector(this.world.random);
  }

  reset(): void {
    this.world.reset();
    this.tokens.reset();
    this.delta.reset();
    this.subscriptions.reset();
    this.throttle.reset();
    this.faults.clear();
    this.calls.clear();
  }
}
