/**
 * The page's count of images on their way to becoming chips, so a burst of pastes stops at the limit
 * before the host has answered. Each image holds a slot from when it is taken until the host answers
 * it (added, already attached, refused), whatever the answer: a duplicate adds no chip, and a slot
 * waiting for a chip that never comes would refuse every image after enough of them.
 */
import { MAX_IMAGES_PER_MESSAGE } from '../shared/imageCheck';

export { MAX_IMAGES_PER_MESSAGE };

export class ImageSlots {
  private pending = 0;

  constructor(
    /** The image chips shown. */
    private readonly attached: () => number,
  ) {}

  /** Takes a slot for one more image; false when the message has as many as it takes. */
  take(): boolean {
    if (this.attached() + this.pending >= MAX_IMAGES_PER_MESSAGE) return false;
    this.pending += 1;
    return true;
  }

  /** The image of a slot was answered by the host, or never sent. */
  release(): void {
    this.pending = Math.max(0, this.pending - 1);
  }
}
