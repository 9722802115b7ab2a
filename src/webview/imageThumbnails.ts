/**
 * Images as the page shows them: from their files beside the history, through the webview's
 * resource URIs (the CSP allows those and `data:` only), never as megabytes of data URLs.
 */
import type { ImageView } from '../shared/protocol';
import { codicon, element } from './dom';
import { host } from './vscodeApi';

let imagesUri: string | undefined;

/** The folder the host serves the images from (with every `state`). */
export function setImagesUri(uri: string | undefined): void {
  imagesUri = uri;
}

/** Its name and size, as its alternative text and tooltip say it. */
export function describeImage({ name, width, height }: ImageView): string {
  return `${name}, ${width}×${height}`;
}

function thumbnail(image: ImageView): HTMLElement {
  if (image.missing || !imagesUri) {
    const missing = element('span', 'image-missing');
    missing.append(codicon('warning'), element('span', undefined, image.missing ? `Image missing: ${image.name}` : image.name));
    return missing;
  }
  const img = element('img', 'image-thumbnail');
  img.src = `${imagesUri}/${image.file}`;
  img.alt = describeImage(image);
  return img;
}

/** A chip's picture: the thumbnail alone (the chip's remove button is the control). */
export function chipThumbnail(image: ImageView): HTMLElement {
  return thumbnail(image);
}

/** A prompt's images in the transcript: each a button that opens it in an editor (Enter or a click). */
export function promptImages(images: readonly ImageView[]): HTMLElement {
  const row = element('div', 'prompt-images');
  row.setAttribute('role', 'list');
  row.setAttribute('aria-label', images.length === 1 ? 'Image sent' : `${images.length} images sent`);
  for (const image of images) {
    const item = element('div', 'prompt-image');
    item.setAttribute('role', 'listitem');
    if (image.missing) {
      item.append(thumbnail(image));
    } else {
      const open = element('button', 'image-open');
      open.type = 'button';
      open.title = `${describeImage(image)}: open in an editor`;
      open.append(thumbnail(image));
      open.addEventListener('click', () => host.postMessage({ type: 'openImage', file: image.file }));
      item.append(open);
    }
    row.append(item);
  }
  return row;
}
