import { describe, expect, it } from 'vitest';
import { unpackedPath } from '../../../src/engine/util/unpacked-path';

describe('unpackedPath: a path inside app.asar → its copy in app.asar.unpacked', () => {
  it('maps a file inside the archive, on Linux, macOS and Windows', () => {
    expect(unpackedPath('/opt/Facet/resources/app.asar/node_modules/onnxruntime-node/dist/index.js')).toBe(
      '/opt/Facet/resources/app.asar.unpacked/node_modules/onnxruntime-node/dist/index.js',
    );
    expect(unpackedPath('/Applications/Facet.app/Contents/Resources/app.asar/node_modules/libheif-js/wasm-bundle.js')).toBe(
      '/Applications/Facet.app/Contents/Resources/app.asar.unpacked/node_modules/libheif-js/wasm-bundle.js',
    );
    expect(unpackedPath('C:\\Users\\me\\AppData\\Local\\Programs\\Facet\\resources\\app.asar\\node_modules\\x\\model.onnx')).toBe(
      'C:\\Users\\me\\AppData\\Local\\Programs\\Facet\\resources\\app.asar.unpacked\\node_modules\\x\\model.onnx',
    );
  });

  it('leaves every other path as it is: plain Node (CLI, tests), an unpacked path, the archive itself', () => {
    for (const file of [
      '/home/me/facet/node_modules/onnxruntime-node/dist/index.js',
      '/opt/Facet/resources/app.asar.unpacked/node_modules/onnxruntime-node/dist/index.js',
      '/opt/Facet/resources/app.asar',
      '/home/me/notes.asarx/model.onnx',
      '/home/me/Library/models/ppocr.onnx',
    ])
      expect(unpackedPath(file)).toBe(file);
  });
});
