import { describe, expect, it } from 'vitest';
import { chooseExecutionProviders } from '../../../../src/engine/ml/runtime/execution-providers';

describe('chooseExecutionProviders', () => {
  it('picks the platform GPU provider when it is available, CPU last', () => {
    expect(chooseExecutionProviders('win32', 'x64', 'auto', ['cpu', 'dml'])).toEqual({ providers: ['dml', 'cpu'] });
    expect(chooseExecutionProviders('darwin', 'arm64', 'gpu', ['cpu', 'coreml'])).toEqual({ providers: ['coreml', 'cpu'] });
    expect(chooseExecutionProviders('linux', 'x64', 'auto', ['cpu', 'cuda'])).toEqual({ providers: ['cuda', 'cpu'] });
  });

  it('never offers a GPU for --device cpu', () => {
    expect(chooseExecutionProviders('win32', 'x64', 'cpu', ['cpu', 'dml'])).toEqual({ providers: ['cpu'] });
  });

  it('uses CPU on Linux without the CUDA libraries: silently for auto, with the install hint for gpu', () => {
    expect(chooseExecutionProviders('linux', 'x64', 'auto', ['cpu', 'webgpu'])).toEqual({ providers: ['cpu'] });
    const plan = chooseExecutionProviders('linux', 'x64', 'gpu', ['cpu', 'webgpu']);
    expect(plan.providers).toEqual(['cpu']);
    expect(plan.fallbackReason).toMatch(/npm run gpu:cuda/);
  });

  it('explains a platform with no GPU provider at all', () => {
    const plan = chooseExecutionProviders('linux', 'arm64', 'gpu', ['cpu']);
    expect(plan).toEqual({ providers: ['cpu'], fallbackReason: expect.stringMatching(/linux\/arm64/) });
  });
});
