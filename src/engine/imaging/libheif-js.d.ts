/**
 * libheif-js ships typings for the raw WebAssembly exports only; these are the embind functions of
 * libheif's JavaScript binding (libheif/heif_emscripten.h) that hevc-heic.ts calls. Contexts, handles,
 * images and enum values are embind objects, compared by identity.
 */
declare module 'libheif-js/wasm-bundle' {
  namespace libheif {
    type ImageHandle = { readonly __heifImageHandle: unique symbol };
  }
  type ImageHandle = libheif.ImageHandle;
  type EnumValue = { readonly __enum: unique symbol };
  type Context = { readonly __heifContext: unique symbol };
  type Image = { readonly __heifImage: unique symbol };
  interface HeifError {
    code: EnumValue;
    message?: string;
  }
  interface Plane {
    id: EnumValue;
    data: Uint8Array;
    stride: number;
    width: number;
    height: number;
  }
  /** On failure only `code` and `message` are set. */
  interface DecodedImage {
    code?: EnumValue;
    message?: string;
    image: Image;
    channels: Plane[];
  }
  interface LibHeif {
    heif_error_code: { heif_error_Ok: EnumValue };
    heif_colorspace: { heif_colorspace_RGB: EnumValue };
    heif_chroma: { heif_chroma_interleaved_RGBA: EnumValue };
    heif_channel: { heif_channel_interleaved: EnumValue };
    heif_context_alloc(): Context | null;
    heif_context_free(context: Context): void;
    heif_context_read_from_memory(context: Context, bytes: Uint8Array): HeifError;
    /** The ids, or an error object. */
    heif_js_context_get_list_of_top_level_image_IDs(context: Context): number[] | HeifError;
    heif_js_context_get_image_handle(context: Context, id: number): ImageHandle | HeifError;
    heif_image_handle_is_primary_image(handle: ImageHandle): number;
    heif_image_handle_release(handle: ImageHandle): void;
    heif_js_decode_image2(
      handle: ImageHandle,
      colorspace: EnumValue,
      chroma: EnumValue,
    ): DecodedImage | null | Promise<DecodedImage | null>;
    heif_image_release(image: Image): void;
  }
  const libheif: LibHeif;
  export = libheif;
}
