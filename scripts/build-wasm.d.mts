/** Types for build-wasm.mjs (a plain script, so `npm run build:wasm` needs no build step). */
export interface WasmKernel {
  /** The AssemblyScript source, from the project root. */
  source: string;
  /** The generated TypeScript module holding the binary, from the project root. */
  module: string;
  /** The name of the base64 constant the module exports. */
  constant: string;
}
export declare const WASM_KERNELS: WasmKernel[];
/** The text of a kernel's generated module, compiled from its source now. */
export declare function generatedModule(kernel: WasmKernel): Promise<string>;
