/**
 * Images brought to the composer: pasted (the clipboard's image items), dropped from the OS (files),
 * or dragged from VS Code's Explorer (image URIs, whose bytes the host reads). Each is prepared here
 * (`prepareImage`) and sent to the host, which checks it again and shows it as a chip. What cannot be
 * added says why in the composer, and nothing else is lost: the text, the other images.
 */
import { element } from './dom';
import { prepareImage } from './imageScaler';
import { ImageSlots, MAX_IMAGES_PER_MESSAGE } from './imageSlots';
import { host } from './vscodeApi';

/** Image files the Explorer may drag in, by name (the host reads them; the page checks their bytes). */
export const IMAGE_URI = /\.(png|jpe?g|gif|webp)$/i;

const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

export class ImageInput {
  private readonly notice = element('div', 'composer-notice');
  /** Images being prepared or on their way to the host, not yet answered. */
  private readonly slots: ImageSlots;

  constructor(
    prompt: HTMLTextAreaElement,
    /** The image chips shown. */
    attached: () => number,
  ) {
    this.slots = new ImageSlots(attached);
    this.notice.setAttribute('role', 'alert');
    this.notice.hidden = true;
    prompt.before(this.notice);
    prompt.addEventListener('input', () => this.clearNotice());
    prompt.addEventListener('paste', (event) => {
      const files = [...(event.clipboardData?.items ?? [])].filter((item) => item.kind === 'file').map((item) => item.getAsFile());
      if (files.length === 0) return;
      // A file pasted is not text for the box (the browser would paste its name).
      event.preventDefault();
      for (const file of files) if (file) void this.add(file, file.name || 'Pasted image');
    });
    document.addEventListener('dragover', (event) => {
      const types = [...(event.dataTransfer?.types ?? [])];
      if (types.includes('Files') || URI_LIST_TYPES.some((type) => types.includes(type))) event.preventDefault();
    });
    document.addEventListener('drop', (event) => this.onDrop(event));
  }

  /** The bytes of an image file dragged from the Explorer, read by the host: its slot goes on to the image. */
  addFileData(name: string, mediaType: string, data: string): void {
    const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
    void this.add(new Blob([bytes], { type: mediaType }), name, true);
  }

  /** The host did not take an image (or a file it was to read): why. */
  refused(name: string, reason: string): void {
    this.slots.release();
    this.say(`${name} was not added: ${reason}`);
  }

  /** The host took an image: a chip, or the one already there. */
  attached(name: string, duplicate: boolean): void {
    this.slots.release();
    if (duplicate) this.say(`${name} is already attached.`);
  }

  /** Something about the images that is not one image's answer (a message not queued, say). */
  tell(text: string): void {
    this.say(text);
  }

  private onDrop(event: DragEvent): void {
    const transfer = event.dataTransfer;
    if (!transfer) return;
    const files = [...transfer.files];
    const uris = URI_LIST_TYPES.map((type) => transfer.getData(type)).find((list) => list !== '') ?? '';
    const imageUris = uris.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#') && IMAGE_URI.test(line));
    // Files from the OS come as files; from the Explorer as URIs (other URIs are the mentions' to attach).
    if (files.length === 0 && imageUris.length === 0) return;
    event.preventDefault();
    if (files.length > 0) {
      for (const file of files) void this.add(file, file.name);
      return;
    }
    for (const uri of imageUris) {
      if (!this.makeRoom(decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)))) return;
      host.postMessage({ type: 'readImageFile', uri });
    }
  }

  private makeRoom(name: string): boolean {
    if (this.slots.take()) return true;
    this.say(`${name} was not added: a message takes at most ${MAX_IMAGES_PER_MESSAGE} images.`);
    return false;
  }

  private async add(file: Blob, name: string, roomMade = false): Promise<void> {
    if (!roomMade && !this.makeRoom(name)) return;
    const prepared = await prepareImage(file);
    if (!prepared.ok) {
      this.slots.release();
      this.say(`${name} was not added: ${prepared.reason}`);
      return;
    }
    if (prepared.note) this.say(`${name}: ${prepared.note}`);
    else this.clearNotice();
    host.postMessage({ type: 'attachImage', name, mediaType: prepared.mediaType, data: prepared.data });
  }

  private say(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  private clearNotice(): void {
    this.notice.hidden = true;
    this.notice.textContent = '';
  }
}
