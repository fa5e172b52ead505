/**
 * The lifecycle's parts that request, renew and manage credentials (lifecycleParts.ts), loaded once: after the first
 * countdown, or by the first call that needs them. Until then it remembers which slots renewal is to follow.
 */
import type { LifecycleParts } from './lifecycleParts';
import type { Slot } from './tokenSlot';

export class LazyParts {
  private followed: readonly Slot[] = [];
  private loading: Promise<LifecycleParts> | undefined;
  private loaded: LifecycleParts | undefined;
  private closed = false;

  constructor(private readonly load: () => Promise<LifecycleParts>) {}

  /** The parts once loaded. Before, a token change has no renewal to reschedule: renewal starts from the cache as it is then. */
  get ready(): LifecycleParts | undefined {
    return this.loaded;
  }

  /** Loads the parts, which starts renewal, if it has slots to keep fresh. */
  async startRenewal(): Promise<void> {
    if (this.followed.length > 0) {
      await this.get();
    }
  }

  /** Renewal keeps these slots fresh, and no others (from when the parts are loaded). */
  follow(slots: readonly Slot[]): void {
    this.followed = slots;
    this.loaded?.renewal.follow(slots);
  }

  get(): Promise<LifecycleParts> {
    return (this.loading ??= this.load().then((parts) => {
      this.loaded = parts;
      if (this.closed) {
        parts.dispose();
      } else {
        parts.renewal.follow(this.followed);
      }
      return parts;
    }));
  }

  dispose(): void {
    this.closed = true;
    this.loaded?.dispose();
  }
}
