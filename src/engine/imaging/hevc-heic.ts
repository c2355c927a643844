import libheif from 'libheif-js/wasm-bundle';

export interface RgbaPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Most phone photos are HEIC with HEVC compression. sharp's prebuilt libvips carries libheif without an
 * HEVC decoder (patent licensing), so it reads their header but not their pixels. libheif compiled to
 * WebAssembly (libheif-js) decodes them in-process instead: about 0.3 s for 3.6 MP on one core, no
 * native code to build, and the file's own transforms (irot, imir, clap) applied as HEIF requires.
 *
 * libheif's embind functions are called directly rather than through its HeifDecoder/display helpers
 * (or heic-decode, which wraps them) because those print every failure to the console: a damaged file
 * must become one clear reason in the run's report, not noise in the user's terminal.
 *
 * Design note (one at a time): the WebAssembly heap never shrinks, so decodes are chained. Running
 * several at once would gain nothing on its single thread, only hold several full-size RGBA copies
 * (48 MB each at 12 MP) and grow that heap for good.
 */
let previous: Promise<unknown> = Promise.resolve();

export function decodeHevcHeic(bytes: Uint8Array): Promise<RgbaPixels> {
  const run = previous.then(() => decodePrimaryImage(bytes));
  previous = run.catch(() => undefined);
  return run;
}

async function decodePrimaryImage(bytes: Uint8Array): Promise<RgbaPixels> {
  const context = libheif.heif_context_alloc();
  if (!context) throw new Error('the decoder could not start');
  const handles: libheif.ImageHandle[] = [];
  try {
    const read = libheif.heif_context_read_from_memory(context, bytes);
    if (read.code !== libheif.heif_error_code.heif_error_Ok) throw new Error(read.message?.trim() || 'not a readable HEIF file');
    const ids = libheif.heif_js_context_get_list_of_top_level_image_IDs(context);
    if (!Array.isArray(ids) || ids.length === 0) throw new Error('the file holds no image');
    for (const id of ids) {
      const handle = libheif.heif_js_context_get_image_handle(context, id);
      if (!('code' in handle)) handles.push(handle);
    }
    const primary = handles.find((handle) => libheif.heif_image_handle_is_primary_image(handle)) ?? handles[0];
    if (!primary) throw new Error('the image could not be read');
    const decoded = await libheif.heif_js_decode_image2(primary, libheif.heif_colorspace.heif_colorspace_RGB, libheif.heif_chroma.heif_chroma_interleaved_RGBA);
    if (!decoded || decoded.code) throw new Error(decoded?.message?.trim() || 'the image data is damaged');
    try {
      const plane = decoded.channels.find((channel) => channel.id === libheif.heif_channel.heif_channel_interleaved);
      if (!plane) throw new Error('the decoder returned no pixels');
      return { data: packRows(plane), width: plane.width, height: plane.height };
    } finally {
      libheif.heif_image_release(decoded.image);
    }
  } finally {
    for (const handle of handles) libheif.heif_image_handle_release(handle);
    libheif.heif_context_free(context);
  }
}

/** A copy of the plane without row padding (the WebAssembly memory behind `data` is reused). */
function packRows(plane: { data: Uint8Array; stride: number; width: number; height: number }): Uint8Array {
  const rowBytes = plane.width * 4;
  if (plane.stride === rowBytes) return plane.data.slice(0, rowBytes * plane.height);
  const packed = new Uint8Array(rowBytes * plane.height);
  for (let y = 0; y < plane.height; y++) packed.set(plane.data.subarray(y * plane.stride, y * plane.stride + rowBytes), y * rowBytes);
  return packed;
}
