import { InferenceSession } from 'onnxruntime-node';
import { FacetError } from '../../../common/errors';
import { availableProviders } from './available-providers';
import type { Device } from '../../../common/api/device';
import { chooseExecutionProviders } from './execution-providers';

export interface SessionOptions {
  device: Device;
  /** Intra-op threads; onnxruntime's default (one per core) when absent. */
  threads?: number;
  /** Where the CPU fallback is reported; console.warn by default. */
  log?: (message: string) => void;
}

export interface CreatedSession {
  session: InferenceSession;
  /** The provider the session actually runs on first: 'cpu', 'cuda', 'dml' or 'coreml'. */
  provider: string;
  fallbackReason?: string;
}

/** What decides the providers; tests replace it to play another platform or a broken provider. */
export interface RuntimeEnvironment {
  platform: string;
  arch: string;
  available: readonly string[];
}

export function currentEnvironment(): RuntimeEnvironment {
  return { platform: process.platform, arch: process.arch, available: availableProviders() };
}

function open(modelPath: string, providers: string[], threads: number | undefined): Promise<InferenceSession> {
  return InferenceSession.create(modelPath, {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    // Errors only: onnxruntime's own warnings (e.g. about dropped providers) would bury ours.
    logSeverityLevel: 3,
    ...(threads ? { intraOpNumThreads: threads } : {}),
  });
}

async function build(modelPath: string, options: SessionOptions, env: RuntimeEnvironment): Promise<CreatedSession> {
  const log = options.log ?? ((m: string) => console.warn(m));
  const plan = chooseExecutionProviders(env.platform, env.arch, options.device, env.available);
  const primary = plan.providers[0] ?? 'cpu';
  if (plan.fallbackReason) log(`[facet] GPU requested but ${plan.fallbackReason}.`);
  if (primary !== 'cpu') {
    try {
      return { session: await open(modelPath, plan.providers, options.threads), provider: primary };
    } catch (error) {
      // A GPU provider that is present but cannot start (driver, missing CUDA runtime) must not stop indexing.
      const fallbackReason = `the ${primary} execution provider failed to load (${(error as Error).message.split('\n')[0]}); using CPU`;
      log(`[facet] ${fallbackReason}.`);
      return { session: await openCpu(modelPath, options.threads), provider: 'cpu', fallbackReason };
    }
  }
  return {
    session: await openCpu(modelPath, options.threads),
    provider: 'cpu',
    ...(plan.fallbackReason ? { fallbackReason: plan.fallbackReason } : {}),
  };
}

async function openCpu(modelPath: string, threads: number | undefined): Promise<InferenceSession> {
  try {
    return await open(modelPath, ['cpu'], threads);
  } catch (error) {
    throw new FacetError('model_corrupt', `onnxruntime cannot load the model ${modelPath}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Opens one onnxruntime session (GPU first when asked, CPU on failure). Not cached: a SessionPool
 * (session-pool.ts), owned by the engine, shares sessions among its users and releases them.
 */
export function createSession(
  modelPath: string,
  options: SessionOptions,
  env: RuntimeEnvironment = currentEnvironment(),
): Promise<CreatedSession> {
  return build(modelPath, options, env);
}
