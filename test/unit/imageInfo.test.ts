import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImageBlock, ImageMediaType } from '../../src/api/types';
import { imageBlockTokens, imageInfo, imageTokens, modelImageSize } from '../../src/shared/imageInfo';

/** Real image files, written by ImageMagick and libwebp (see test/fixtures/images). */
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/images', name)));
const block = (bytes: Uint8Array, mediaType: ImageMediaType): ImageBlock => ({
  type: 'image',
  source: { type: 'base64', media_type: mediaType, data: Buffer.from(bytes).toString('base64') },
});

describe('imageInfo', () => {
  const cases: Array<[string, ImageMediaType, number, number]> = [
    ['wide.png', 'image/png', 40, 30],
    ['photo.jpg', 'image/jpeg', 40, 30],
    ['progressive.jpg', 'image/jpeg', 40, 30],
    ['small.gif', 'image/gif', 17, 9],
    ['lossy.webp', 'image/webp', 33, 21],
    ['lossless.webp', 'image/webp', 33, 21],
    ['alpha.webp', 'image/webp', 33, 21],
  ];
  for (const [name, mediaType, width, height] of cases) {
    it(`reads ${name} as ${mediaType} ${width}x${height}`, () => {
      assert.deepEqual(imageInfo(fixture(name)), { mediaType, width, height });
    });
  }

  it('finds a JPEG size behind a large metadata segment', () => {
    const jpeg = fixture('photo.jpg');
    const payload = 60_000;
    const app1 = new Uint8Array(4 + payload);
    app1.set([0xff, 0xe1, (payload + 2) >> 8, (payload + 2) & 0xff]);
    const padded = new Uint8Array([...jpeg.subarray(0, 2), ...app1, ...jpeg.subarray(2)]);
    assert.deepEqual(imageInfo(padded), { mediaType: 'image/jpeg', width: 40, height: 30 });
  });

  it('refuses text, a cut-off header and an empty file', () => {
    assert.equal(imageInfo(fixture('text.png')), undefined);
    assert.equal(imageInfo(fixture('truncated.png')), undefined);
    assert.equal(imageInfo(new Uint8Array()), undefined);
    assert.equal(imageInfo(fixture('photo.jpg').subarray(0, 40)), undefined);
  });

  it('refuses an image of zero pixels', () => {
    const png = fixture('wide.png').slice();
    png.set([0, 0, 0, 0], 16);
    assert.equal(imageInfo(png), undefined);
  });
});

describe('image tokens', () => {
  it('scales to a long edge of 1568 px, keeping the aspect ratio', () => {
    assert.deepEqual(modelImageSize(3136, 1000), { width: 1568, height: 500 });
    assert.deepEqual(modelImageSize(800, 600), { width: 800, height: 600 });
    assert.deepEqual(modelImageSize(10, 20_000), { width: 1, height: 1568 });
  });

  it('counts pixels / 750, at most 1,600', () => {
    assert.equal(imageTokens(750, 1), 1);
    assert.equal(imageTokens(1000, 1000), 1334);
    assert.equal(imageTokens(4000, 3000), 1600);
  });

  it('sizes a base64 block from its bytes, and counts an unreadable one at the most', () => {
    assert.equal(imageBlockTokens(block(fixture('wide.png'), 'image/png')), imageTokens(40, 30));
    assert.equal(imageBlockTokens(block(fixture('text.png'), 'image/png')), 1600);
    assert.equal(imageBlockTokens({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '%%%' } }), 1600);
  });
});
