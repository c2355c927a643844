import type { Device } from '../../../common/api/device';

export interface ProviderPlan {
  /** onnxruntime-node execution provider names, best first; always ends with 'cpu'. */
  providers: string[];
  /** Set when a GPU was asked for (`--device gpu`) but CPU is all that can be offered. */
  fallbackReason?: string;
}

/**
 * The one GPU provider worth trying per platform: DirectML ships inside onnxruntime-node on Windows,
 * CoreML on macOS; on Linux x64, CUDA only after `npm run gpu:cuda` installed its libraries.
 */
export function gpuProviderFor(platform: string, arch: string): string | null {
  if (platform === 'win32') return 'dml';
  if (platform === 'darwin') return 'coreml';
  if (platform === 'linux' && arch === 'x64') return 'cuda';
  return null;
}

function whyNoGpu(platform: string, arch: string, provider: string | null): string {
  if (!provider) return `no GPU execution provider exists for ${platform}/${arch} in onnxruntime-node; using CPU`;
  if (provider === 'cuda')
    return 'the CUDA libraries of onnxruntime-node are not installed (run `npm run gpu:cuda` on a machine with an NVIDIA GPU and CUDA 12); using CPU';
  return `onnxruntime-node offers no ${provider} provider in this build; using CPU`;
}

/**
 * Pure choice of providers. `available` are the providers this onnxruntime build can load right now
 * (see `availableProviders`). 'cpu' is always last so operators the GPU provider lacks still run.
 */
export function chooseExecutionProviders(platform: string, arch: string, device: Device, available: readonly string[]): ProviderPlan {
  if (device === 'cpu') return { providers: ['cpu'] };
  const gpu = gpuProviderFor(platform, arch);
  if (gpu && available.includes(gpu)) return { providers: [gpu, 'cpu'] };
  // 'auto' without a GPU is simply CPU; only an explicit 'gpu' request deserves an explanation.
  return device === 'gpu' ? { providers: ['cpu'], fallbackReason: whyNoGpu(platform, arch, gpu) } : { providers: ['cpu'] };
}
